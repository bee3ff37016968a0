"""The texts of the organisation domain's codes (zh-CN, en)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "org_unknown_compound": ("请选择一个小区。", "Choose a compound."),
    "org_grid_elsewhere": ("这个网格不在所选小区内。", "The grid is not in the chosen compound."),
    "community_not_found": (
        "没有找到这个社区，或您不负责这里。",
        "No such community, or you do not serve it.",
    ),
    "org_unknown_community": ("请选择一个社区。", "Choose a community."),
}
