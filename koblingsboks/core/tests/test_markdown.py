from koblingsboks.core.markdown import markdown_to_text, render_markdown


def test_markdown_renders_emphasis_lists_links_and_quotes():
    html = render_markdown(
        "**Frokostmøte** i *Orkanger*\n\n- kaffe\n- [påmelding](https://example.no)\n\n> sitat"
    )
    assert "<strong>Frokostmøte</strong>" in html
    assert "<em>Orkanger</em>" in html
    assert "<li>kaffe</li>" in html
    assert '<a href="https://example.no" rel="noopener noreferrer">påmelding</a>' in html
    assert "<blockquote>" in html


def test_scripts_event_handlers_and_javascript_links_are_removed():
    html = render_markdown(
        'Hei<script>alert(1)</script> <img src=x onerror="alert(2)"> '
        '<a href="javascript:alert(3)" onclick="alert(4)">lenke</a> <b style="color:red">fet</b>'
    )
    assert "script" not in html
    assert "alert" not in html
    assert "onerror" not in html and "onclick" not in html
    assert "style" not in html
    assert "<b>fet</b>" in html
    assert "Hei" in html


def test_plain_text_drops_markup_and_keeps_characters():
    assert markdown_to_text("**Kurs** for AS & ENK <script>x</script>") == "Kurs for AS & ENK"


def test_empty_source_renders_empty():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
