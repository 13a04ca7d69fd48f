"""Organisations, networks (alliances), users and their memberships."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koblingsboks.core.tenancy import scoped_manager
from koblingsboks.network.validators import (
    validate_municipality_number,
    validate_org_number,
    validate_postal_code,
)


class Municipality(models.Model):
    """A Norwegian municipality by its official number (the numbering in force since 2024)."""

    number = models.CharField(
        _("municipality number"),
        max_length=4,
        primary_key=True,
        validators=[validate_municipality_number],
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__regex=r"^[0-9]{4}$"), name="municipality_number_4_digits"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class Organisation(models.Model):
    """A member or partner of a network: a business garden, incubator, partner or programme
    owner. Its name, org.nr and address are public facts; its private data is scoped to it."""

    class Kind(models.TextChoices):
        BUSINESS_GARDEN = "business_garden", _("business garden")
        INCUBATOR = "incubator", _("incubator")
        PARTNER = "partner", _("partner")
        PROGRAMME_OWNER = "programme_owner", _("programme owner")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    org_number = models.CharField(
        _("organisation number"), max_length=9, unique=True, validators=[validate_org_number]
    )
    municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="organisations",
        verbose_name=_("municipalities served"),
    )
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(
        _("postal code"), max_length=4, blank=True, validators=[validate_postal_code]
    )
    postal_place = models.CharField(_("postal place"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # TextField does not enforce max_length outside forms; the validator makes services do so.
    description = models.TextField(
        _("description"), max_length=4000, blank=True, validators=[MaxLengthValidator(4000)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "name"], name="organisation_kind_name_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(org_number__regex=r"^[0-9]{9}$"),
                name="organisation_orgnr_9_digits",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=["business_garden", "incubator", "partner", "programme_owner"]
                ),
                name="organisation_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(postal_code="") | models.Q(postal_code__regex=r"^[0-9]{4}$"),
                name="organisation_postal_code_4_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def org_number_display(self) -> str:
        """The org.nr grouped as the register prints it: 921 001 371."""
        n = self.org_number
        return f"{n[:3]} {n[3:6]} {n[6:]}" if len(n) == 9 else n


class Network(models.Model):
    """An alliance of organisations under a framework agreement (samarbeidsavtale)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    agreement_title = models.CharField(_("agreement title"), max_length=200, blank=True)
    agreement_signed_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    agreement_text = models.TextField(_("agreement text"), max_length=20000, blank=True)
    parties = models.ManyToManyField(
        Organisation, through="NetworkParty", related_name="networks", verbose_name=_("parties")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class NetworkParty(models.Model):
    """An organisation's place in a network: member or partner, and whether it coordinates."""

    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        PARTNER = "partner", _("partner")
        OBSERVER = "observer", _("observer")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="party_links")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="network_links"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    is_coordinator = models.BooleanField(_("coordinates the network"), default=False)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    class Meta:
        verbose_name = _("network party")
        verbose_name_plural = _("network parties")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "organisation"], name="network_party_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["member", "partner", "observer"]),
                name="network_party_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.network}"


class CooperationArea(models.Model):
    """One area of cooperation named in a network's framework agreement."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="areas")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("area of cooperation")
        verbose_name_plural = _("areas of cooperation")
        ordering = ["network", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "title"], name="cooperation_area_unique_title"
            )
        ]

    def __str__(self) -> str:
        return self.title


class UserManager(BaseUserManager):
    """Users sign in with their e-mail address."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in, with a short profile shown to colleagues in the network."""

    email = models.EmailField(_("e-mail"), max_length=254, unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    title = models.CharField(_("title"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    bio = models.TextField(_("short bio"), max_length=2000, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="nb"
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("platform staff"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Role(models.TextChoices):
    """What a member may do in an organisation; see network/permissions.py."""

    ADMIN = "admin", _("administrator")
    MANAGER = "manager", _("manager")
    ADVISOR = "advisor", _("advisor")
    OBSERVER = "observer", _("observer")


class Membership(models.Model):
    """A user's membership of an organisation, with a role. Private to the organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=["admin", "manager", "advisor", "observer"]),
                name="membership_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class Invitation(models.Model):
    """An invitation by e-mail to join an organisation with a role. Private to the organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    # Only a hash of the secret in the link is stored.
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "organisation",
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["admin", "manager", "advisor", "observer"]),
                name="invitation_role_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )
