"""The deadline rules of DESIGN §6, as data an operator can correct in the admin.

Sources marked "unconfirmed" need checking by a lawyer against the current text; the admin
shows the citation beside every computed deadline. Detention limits never roll forward: a
custody term ends on its calendar day, and rolling it to a working day would let unlawful
detention pass unflagged.

Titles and trigger labels are marked for the translation catalogue (gettext_noop: stored in
English, shown in the reader's language by the cases_text template filters).
"""

from django.db import migrations
from django.utils.translation import gettext_noop as _

# The treaty bodies sit in Geneva, which keeps the time of the IANA zone Europe/Zurich.
UN = {"timezone": "Europe/Zurich", "roll_forward": False, "calendar_country": ""}
KZ = {"timezone": "Asia/Almaty", "calendar_country": "KZ"}

RULES = [
    {
        "code": "cat.state_reply",
        "title": _("State's reply to the CAT complaint"),
        "body": "Committee against Torture",
        "trigger_model": "rulings.complaint",
        "trigger_field": "transmitted_on",
        "trigger_condition": {"body": "CAT"},
        "trigger_label": _("complaint transmitted to the State"),
        "met_field": "state_reply_on",
        "period": 6,
        "unit": "months",
        "reminders": [30, 7, 1, 0],
        "source": "CAT art. 22(3); rules of procedure r.115",
        **UN,
    },
    {
        "code": "cat.admissibility_only",
        "title": _("State's request to examine admissibility separately (CAT)"),
        "body": "Committee against Torture",
        "trigger_model": "rulings.complaint",
        "trigger_field": "transmitted_on",
        "trigger_condition": {"body": "CAT"},
        "trigger_label": _("complaint transmitted to the State"),
        "met_field": "state_reply_on",
        "period": 2,
        "unit": "months",
        "reminders": [14, 7, 1, 0],
        "source": "CAT rules of procedure r.115(3) (unconfirmed: check the Committee's letter)",
        **UN,
    },
    {
        "code": "cat.follow_up",
        "title": _("State's follow-up report on the CAT decision"),
        "body": "Committee against Torture",
        "trigger_model": "rulings.committeedecision",
        "trigger_field": "transmitted_on",
        "trigger_condition": {"outcome": "violation", "complaint__body": "CAT"},
        "trigger_label": _("decision transmitted"),
        "met_field": "follow_up_reply_on",
        "period": 90,
        "unit": "days",
        "reminders": [30, 7, 1, 0],
        "source": "CAT r.118(5)",
        **UN,
    },
    {
        "code": "hrc.state_reply",
        "title": _("State's reply to the HRC communication"),
        "body": "Human Rights Committee",
        "trigger_model": "rulings.complaint",
        "trigger_field": "transmitted_on",
        "trigger_condition": {"body": "HRC"},
        "trigger_label": _("communication transmitted to the State"),
        "met_field": "state_reply_on",
        "period": 6,
        "unit": "months",
        "reminders": [30, 7, 1, 0],
        "source": "ICCPR OP1 art. 4(2)",
        **UN,
    },
    {
        "code": "hrc.follow_up",
        "title": _("State's follow-up report on the HRC Views"),
        "body": "Human Rights Committee",
        "trigger_model": "rulings.committeedecision",
        "trigger_field": "transmitted_on",
        "trigger_condition": {"outcome": "violation", "complaint__body": "HRC"},
        "trigger_label": _("Views transmitted"),
        "met_field": "follow_up_reply_on",
        "period": 180,
        "unit": "days",
        "reminders": [30, 7, 1, 0],
        "source": "HRC follow-up procedure (unconfirmed: the Views name the period)",
        **UN,
    },
    {
        "code": "cedaw.follow_up",
        "title": _("State's follow-up report on the CEDAW Views"),
        "body": "Committee on the Elimination of Discrimination against Women",
        "trigger_model": "rulings.committeedecision",
        "trigger_field": "transmitted_on",
        "trigger_condition": {"outcome": "violation", "complaint__body": "CEDAW"},
        "trigger_label": _("Views transmitted"),
        "met_field": "follow_up_reply_on",
        "period": 6,
        "unit": "months",
        "reminders": [30, 7, 1, 0],
        "source": "OP-CEDAW art. 7(4)",
        **UN,
    },
    {
        "code": "crc.follow_up",
        "title": _("State's follow-up report on the CRC Views"),
        "body": "Committee on the Rights of the Child",
        "trigger_model": "rulings.committeedecision",
        "trigger_field": "transmitted_on",
        "trigger_condition": {"outcome": "violation", "complaint__body": "CRC"},
        "trigger_label": _("Views transmitted"),
        "met_field": "follow_up_reply_on",
        "period": 6,
        "unit": "months",
        "reminders": [30, 7, 1, 0],
        "source": "OP3-CRC art. 11",
        **UN,
    },
    {
        "code": "complaint.comments",
        "title": _("Counsel's comments to the Committee"),
        "body": "The treaty body, in its letter",
        "trigger_model": "rulings.complaint",
        "trigger_field": "comments_due_on",
        "trigger_condition": {},
        "trigger_label": _("comments due (date set by the Committee)"),
        "met_field": "",
        "period": 0,
        "unit": "days",
        "reminders": [14, 7, 1, 0],
        "source": "The Committee's letter",
        **UN,
    },
    {
        "code": "unhcr.rsd_appeal",
        "title": _("Appeal against UNHCR's rejection"),
        "body": "UNHCR",
        "trigger_model": "rulings.refugeestatusdecision",
        "trigger_field": "notified_on",
        "trigger_condition": {"authority": "unhcr_mandate", "outcome": "rejected"},
        "trigger_label": _("rejection notified"),
        "met_field": "",
        "period": 30,
        "unit": "days",
        "reminders": [14, 7, 1, 0],
        "source": "UNHCR RSD Procedural Standards §7.2",
        "timezone": "Asia/Almaty",
        "roll_forward": False,
        "calendar_country": "",
    },
    {
        "code": "kz.provisional_arrest",
        "title": _("End of provisional arrest pending extradition"),
        "body": "Criminal Procedure Code of Kazakhstan",
        "trigger_model": "cases.detention",
        "trigger_field": "started_on",
        "trigger_condition": {"basis": "provisional_arrest_extradition"},
        "trigger_label": _("provisional arrest"),
        "met_field": "ended_on",
        "period": 40,
        "unit": "days",
        "reminders": [14, 7, 3, 1, 0],
        "source": "KZ CPC art. 588; Minsk Conv. art. 62 as amended 1997 (1 month where a party "
        "did not ratify the 1997 protocol)",
        **KZ,
        "roll_forward": False,
    },
    {
        "code": "kz.identity_check",
        "title": _("Identity check after arrest"),
        "body": "Criminal Procedure Code of Kazakhstan",
        "trigger_model": "cases.detention",
        "trigger_field": "started_on",
        "trigger_condition": {"basis": "provisional_arrest_extradition"},
        "trigger_label": _("provisional arrest"),
        "met_field": "ended_on",
        "period": 72,
        "unit": "hours",
        "reminders": [1, 0],
        "source": "KZ CPC art. 587(2)",
        **KZ,
        "roll_forward": False,
    },
    {
        "code": "kz.extradition_appeal",
        "title": _("Appeal against the prosecutor's extradition decision"),
        "body": "Criminal Procedure Code of Kazakhstan",
        "trigger_model": "cases.extraditiondecision",
        "trigger_field": "served_on",
        "trigger_condition": {"stage": "prosecutor", "outcome": "granted"},
        "trigger_label": _("decision served"),
        "met_field": "",
        "period": 10,
        "unit": "days",
        "reminders": [7, 3, 1, 0],
        "source": "KZ CPC art. 592(1): the days run from service of the copy",
        **KZ,
        "roll_forward": True,
    },
    {
        "code": "kz.asylum_decision",
        "title": _("National decision on the asylum application"),
        "body": "Law of Kazakhstan on Refugees",
        "trigger_model": "rulings.refugeestatusdecision",
        "trigger_field": "applied_on",
        "trigger_condition": {"authority": "national", "outcome": "pending"},
        "trigger_label": _("application lodged"),
        "met_field": "decided_on",
        "period": 3,
        "unit": "months",
        "reminders": [14, 7, 1, 0],
        "source": "Law on Refugees art. 11(1) (unconfirmed: check for extensions)",
        **KZ,
        "roll_forward": True,
    },
]


def seed(apps, schema_editor) -> None:
    rule_model = apps.get_model("cases", "DeadlineRule")
    for rule in RULES:
        rule_model.objects.update_or_create(code=rule["code"], defaults=rule)


def unseed(apps, schema_editor) -> None:
    apps.get_model("cases", "DeadlineRule").objects.filter(
        code__in=[rule["code"] for rule in RULES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_deadlines_and_alerts")]

    operations = [migrations.RunPython(seed, unseed)]
