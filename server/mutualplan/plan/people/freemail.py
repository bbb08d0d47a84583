"""Freemail providers, as data: an address there is anyone's to make, so it never speaks for a customer.

A provider is named by the label it registers under every country's suffix (gmail.com, yahoo.co.uk,
hotmail.fr), or, where that label is a common word, by its whole domain.
"""

from __future__ import annotations

PROVIDER_LABELS = frozenset({
    "gmail", "googlemail", "outlook", "hotmail", "yahoo", "ymail", "rocketmail", "icloud", "proton",
    "protonmail", "aol", "gmx", "yandex", "zoho", "zohomail", "tutanota", "tutamail", "fastmail",
    "hushmail", "rediffmail", "mailinator", "mailfence", "posteo", "qq", "naver", "seznam", "libero",
})  # fmt: skip
PROVIDER_DOMAINS = frozenset({
    "live.com", "msn.com", "passport.com", "me.com", "mac.com", "pm.me", "proton.me", "tuta.io",
    "mail.com", "email.com", "mail.ru", "inbox.ru", "list.ru", "bk.ru", "web.de", "t-online.de",
    "freenet.de", "163.com", "126.com", "yeah.net", "sina.com", "sohu.com", "daum.net", "hanmail.net",
    "orange.fr", "free.fr", "laposte.net", "wanadoo.fr", "virgilio.it", "hey.com", "inbox.lv", "ukr.net",
    "rambler.ru", "duck.com", "skiff.com",
})  # fmt: skip
# Second-level labels under which a country registers names: yahoo.co.uk, outlook.com.br.
REGISTRY_LABELS = frozenset({"co", "com", "net", "org", "ne", "or", "ac", "gov"})


def is_freemail(domain: str | None) -> bool:
    """Whether an email domain is a freemail provider's, where anyone can make an address."""
    if not domain:
        return False
    domain = domain.casefold().strip().strip(".")
    if domain in PROVIDER_DOMAINS:
        return True
    labels = domain.split(".")
    if len(labels) < 2:
        return False
    registered = labels[-3] if len(labels) >= 3 and labels[-2] in REGISTRY_LABELS else labels[-2]
    return registered in PROVIDER_LABELS
