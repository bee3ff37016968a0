"""Texts of the organisation-tree codes (zh-CN, en)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "org_unknown_community": ("没有这个社区。", "There is no such community."),
    "org_unknown_compound": ("没有这个小区。", "There is no such compound."),
    "org_unknown_building": ("没有这个楼栋。", "There is no such building."),
    "org_unknown_parent": ("上级单位不存在。", "The parent does not exist."),
    "org_parent_needed": ("请选择上级单位。", "Choose the parent."),
    "org_home_needed": (
        "请选择您的小区或楼栋，或使用我的位置。",
        "Choose your compound or building, or use your location.",
    ),
    "org_admin_only": ("只有管理员可以创建街道。", "Only administrators create sub-districts."),
    "org_out_of_scope": ("您不负责这个区域。", "You do not coordinate this area."),
    "org_bad_file": (
        "无法读取这个文件，请上传 .xlsx 格式的表格。",
        "This file cannot be read; upload an .xlsx workbook.",
    ),
    "places_missing_compound": ("第{row}行：缺少小区名称。", "Row {row}: the compound is missing."),
    "places_bad_point": (
        "第{row}行：纬度、经度不正确。",
        "Row {row}: the latitude or longitude is not valid.",
    ),
    "org_grid_elsewhere": ("这个网格不在所选小区内。", "The grid is not in the chosen compound."),
    "community_not_found": (
        "没有找到这个社区，或您不负责这里。",
        "No such community, or you do not serve it.",
    ),
}
