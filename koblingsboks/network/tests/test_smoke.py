def test_dashboard_shows_active_organisation(client_a, tenant_a):
    response = client_a.get("/dashboard/")
    assert response.status_code == 200
    assert tenant_a.organisation.name in response.content.decode()
