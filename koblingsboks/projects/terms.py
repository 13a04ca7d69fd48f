"""The default terms of a project agreement, in Norwegian.

A network may edit its own copy (``TermsTemplateSection``); a new project copies the
network's template, or this one when the network has none. The texts are agreement content
in the language the parties sign in, not UI strings, so they are not translated.
"""

DEFAULT_TERMS: list[tuple[str, str, str]] = [
    (
        "duration",
        "Varighet",
        "Avtalen gjelder fra den er signert av alle parter og til prosjektperioden er slutt "
        "og sluttrapport og sluttregnskap er godkjent av partene.",
    ),
    (
        "termination",
        "Oppsigelse og uttreden",
        "En part kan tre ut av prosjektet med tre måneders skriftlig varsel til de andre "
        "partene. Kostnader som er påløpt før uttreden, dekkes etter budsjettet. Ved vesentlig "
        "mislighold kan de andre partene samlet heve avtalen overfor den misligholdende parten.",
    ),
    (
        "confidentiality",
        "Taushetsplikt",
        "Partene skal behandle opplysninger om de andre partenes og deltakende bedrifters "
        "forretningsforhold konfidensielt, også etter at avtalen er avsluttet. Plikten gjelder "
        "ikke opplysninger som er offentlig tilgjengelige.",
    ),
    (
        "disputes",
        "Tvister",
        "Uenighet om forståelsen av avtalen skal først søkes løst ved forhandlinger mellom "
        "partenes daglige ledere. Fører ikke det fram, avgjøres tvisten ved de ordinære "
        "domstolene med prosjektansvarlig parts verneting som avtalt verneting.",
    ),
]
