"""URLs of the test project: DOT under /o/, as its documentation sets it up, and the test glue."""

from datetime import timedelta

from django.contrib.auth import get_user_model, login
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.models import get_grant_model


def auto_login(request):
    """Signs in "alice" without a page, then goes on to ?next= (the authorization request)."""
    login(request, get_user_model().objects.get(username="alice"), backend="django.contrib.auth.backends.ModelBackend")
    return HttpResponseRedirect(request.GET.get("next", "/"))


@csrf_exempt
def age_codes(request):
    """Makes every issued code expired: DOT's own check then refuses it, as after a real wait."""
    count = get_grant_model().objects.update(expires=timezone.now() - timedelta(minutes=5))
    return HttpResponse(f"{count}\n", content_type="text/plain")


urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("accounts/login/", auto_login),
    path("test/age-codes", age_codes),
]
