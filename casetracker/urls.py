"""Root URL configuration."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from casetracker.account import (
    account,
    account_mfa,
    account_mfa_codes,
    account_sign_out_everywhere,
    account_token_revoke,
    verify,
)
from casetracker.backup.views import backup_runs, backup_start, backups
from casetracker.views import health, language_set

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"
    ),
    path("api/v1/", include("casetracker.api.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/verify/", verify, name="verify"),
    path("language/", language_set, name="language_set"),
    path("account/", account, name="account"),
    path("account/tokens/revoke/", account_token_revoke, name="account_token_revoke"),
    path("account/two-factor/", account_mfa, name="account_mfa"),
    path("account/two-factor/codes/", account_mfa_codes, name="account_mfa_codes"),
    path(
        "account/sign-out-everywhere/",
        account_sign_out_everywhere,
        name="account_sign_out_everywhere",
    ),
    path("backups/", backups, name="backups"),
    path("backups/runs/", backup_runs, name="backup_runs"),
    path("backups/start/", backup_start, name="backup_start"),
    # The pages that gather every forum (dashboard, case page, person page): the workspace.
    path("", include("workspace.urls")),
    path("", include("rulings.urls")),
    path("", include("people.urls")),
    path("", include("cases.urls")),
]
