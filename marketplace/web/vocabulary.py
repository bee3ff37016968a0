"""Words that reach the pages as data (categories, states, groups, kinds, reasons), listed so
that `pybabel extract` puts them in the catalogue. The pages translate them with `_(value)`."""


def _(message: str) -> str:
    return message


VOCABULARY = [
    # wish categories
    _("tutoring"),
    _("repairs"),
    _("companionship"),
    _("errands"),
    _("medical_escort"),
    _("goods"),
    _("other"),
    _("project"),
    # skills beyond the categories
    _("electrician"),
    _("plumbing"),
    _("computer"),
    _("haircut"),
    _("first_aid"),
    _("legal_advice"),
    # wish and task states
    _("submitted"),
    _("published"),
    _("rejected"),
    _("cancelled"),
    _("claimed"),
    _("fulfilled"),
    _("confirmed"),
    _("announced"),
    _("open"),
    _("closed"),
    _("active"),
    _("released"),
    _("declined"),
    _("lapsed"),
    _("recalled"),
    # priority groups
    _("aged_60_plus"),
    _("child"),
    _("low_income"),
    _("disabled"),
    _("empty_nest"),
    # matching runs and proposals
    _("queued"),
    _("running"),
    _("proposed"),
    _("committed"),
    _("discarded"),
    _("failed"),
    _("loading"),
    _("solving"),
    _("saving"),
    _("done"),
    _("optimal"),
    _("feasible"),
    _("infeasible"),
    _("timed_out"),
    _("not_selected"),
    _("skipped"),
    _("no_eligible_volunteer"),
    _("all_eligible_full"),
    _("not_worth_travel"),
    # negative list
    _("cash"),
    _("commercial"),
    _("unlawful"),
    # partners and projects
    _("property_service"),
    _("resident_enterprise"),
    _("caring_merchant"),
    _("university_or_school"),
    _("agency_party_org"),
    _("social_organisation"),
    _("skilled_resident"),
    _("pending"),
    _("certified"),
    _("suspended"),
    _("draft"),
    _("recruiting"),
    _("in_progress"),
    _("completed"),
    _("evaluated"),
    # responsibility levels, points
    _("in_service_member"),
    _("sub_district"),
    _("community"),
    _("service"),
    _("redemption"),
]
