{
    "name": "Municipal Complaint Handling",
    "summary": "Register, handle, refer, escalate and report complaints under "
    "the Dutch Awb chapter 9 (klachtbehandeling)",
    "description": """
Municipal Complaint Handling
============================

Complaint handling for a Dutch municipal social-services department, under chapter 9
of the Algemene wet bestuursrecht (Awb): register every complaint and signal, keep the
first-contact norm and the legal term (working days and Dutch public holidays), refer
cases to contract partners, handle them informally or formally, record the Nationale
ombudsman's involvement, learn from complaints and publish the annual report.
The users work in Dutch; the full description is on the app page (readme/).
""",
    "version": "19.0.1.0.0",
    "category": "Services/Complaints",
    "website": "https://github.com/municipal-odoo/municipal_complaint",
    "author": "Municipal Complaint Handling contributors",
    "maintainers": ["municipal-odoo"],
    "license": "AGPL-3",
    "development_status": "Beta",
    "application": True,
    "installable": True,
    "icon": "/municipal_complaint/static/description/icon.png",
    "images": ["static/description/screenshots/kanban.png"],
    "depends": ["mail", "portal", "resource"],
    "external_dependencies": {"python": ["dateutil"]},
    "data": [
        "security/groups.xml",
        "security/ir.model.access.csv",
        "security/rules.xml",
        "data/sequence.xml",
        "data/stages.xml",
        "data/categories.xml",
        "data/outcomes.xml",
        "data/norms.xml",
        "data/calendar.xml",
        "data/cron.xml",
        "data/mail_templates_referral.xml",
        "data/mail_alias.xml",
        "reports/letter_layout.xml",
        "reports/complaint_closing_letters.xml",
        "data/mail_templates_closing.xml",
        "views/complaint_category_views.xml",
        "views/complaint_stage_views.xml",
        "views/complaint_outcome_views.xml",
        "views/complaint_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/complaint_config_wizard_views.xml",
        "views/menus.xml",
        "wizards/complaint_close_wizard.xml",
        "wizards/complaint_ombudsman_wizard.xml",
        "wizards/complaint_reopen_wizard.xml",
        "views/complaint_closing_views.xml",
        "views/improvement_views.xml",
        "views/complaint_norm_views.xml",
        "views/complaint_analysis_views.xml",
        "views/complaint_referral_views.xml",
        "views/complaint_intake_views.xml",
        "views/intake_templates.xml",
        "views/portal_templates.xml",
        "wizards/complaint_referral_wizard_views.xml",
        "reports/annual_report.xml",
        "wizards/annual_report_wizard_views.xml",
        "views/annual_report_views.xml",
    ],
    "demo": [
        "demo/demo_users.xml",
        "demo/demo_partners.xml",
        "demo/demo_complaints_2020.xml",
        "demo/demo_complaints_current.xml",
        "demo/demo_portal.xml",
    ],
}
