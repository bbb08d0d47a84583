"""The CRMs as this deployment's settings set them up. Each CRM's library is an optional extra
(`mutualplan[salesforce]`, `mutualplan[hubspot]`): it is imported when that CRM is first used, and a
server set up for a CRM whose extra is missing says which to install."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import ModuleType

import requests

from mutualplan.app.crm_ports import CrmClient, CrmConnection, CrmSignIn
from mutualplan.config import Config
from mutualplan.errors import InputError
from mutualplan.plan.crm import Crm

HUBSPOT_HOST = "https://api.hubapi.com"


def adapter(crm: Crm) -> ModuleType:
    """The CRM's adapter, its library with it; an InputError names the extra to install."""
    try:
        return importlib.import_module(f"mutualplan.adapters.crm.{crm.value}")
    except ImportError as exc:
        raise InputError(f"{crm.label} needs its library: pip install 'mutualplan[{crm.value}]'") from exc


@dataclass
class ConfiguredCrms:
    """The CRMs the settings set up (app.crm_ports.Crms); HubSpot's host can be pointed elsewhere (tests)."""

    config: Config
    session: requests.Session = field(default_factory=requests.Session)
    hubspot_host: str = HUBSPOT_HOST

    def sign_in(self, crm: Crm) -> CrmSignIn:
        """The CRM's OAuth for this deployment's app."""
        config, found = self.config, adapter(crm)
        if crm is Crm.SALESFORCE:
            login = config.salesforce_login_url or found.LOGIN_URL
            app = found.salesforce_app(
                login, config.salesforce_client_id, config.salesforce_client_secret, self.session
            )
            sign_in: CrmSignIn = found.SalesforceSignIn(app)
            return sign_in
        app = found.hubspot_app(
            config.hubspot_client_id, config.hubspot_client_secret, self.session, self.hubspot_host
        )
        hubspot: CrmSignIn = found.HubSpotSignIn(app, self.hubspot_host)
        return hubspot

    def client(self, connection: CrmConnection, refresh_token: str) -> CrmClient:
        """A seller's session: their refresh token's, or the deployment's own token's."""
        found = adapter(connection.crm)
        if connection.crm is Crm.SALESFORCE:
            client: CrmClient = found.salesforce_session(self.config, connection, refresh_token)
            return client
        hubspot: CrmClient = found.hubspot_session(
            self.config, connection, refresh_token, self.session, self.hubspot_host
        )
        return hubspot


def configured_crms(config: Config) -> ConfiguredCrms | None:
    """The CRMs the settings set up; None when they set up neither."""
    return ConfiguredCrms(config) if any(config.crm_mode(crm.value) for crm in Crm) else None
