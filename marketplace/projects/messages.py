"""The texts of the projects (机会清单) domain's codes (zh-CN, en)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "project_transition_refused": (
        "这个项目{status}，不能{action}。",
        "This project is {status}: you cannot {action} it.",
    ),
    "project_not_completed": (
        "只有已完成的项目可以公示。",
        "Only a completed project can be announced.",
    ),
    "project_already_announced": ("这个项目已经公示。", "This project is already announced."),
    "project_not_found": (
        "没有找到这个项目，或您无权查看。",
        "No such project, or you may not see it.",
    ),
    "project_scope_not_found": (
        "没有找到这个社区或街道，或您不负责这里。",
        "No such community or sub-district, or you do not coordinate it.",
    ),
    "project_ends_before_start": (
        "结束日期不能早于开始日期。",
        "The end date cannot be before the start date.",
    ),
    "project_coordinators_only": (
        "只有项目所在社区的党委可以这样做。",
        "Only the project's coordinators can do this.",
    ),
    "project_changed": (
        "这个项目刚刚有了变化，请刷新。",
        "The project changed while you were acting on it; reload it.",
    ),
    "project_claim_not_found": (
        "这个项目中没有这些服务记录。",
        "No such service on this project.",
    ),
    "project_cluster_mismatch": (
        "所选心愿都必须尚未完成、属于这个类别并在这个社区。",
        "Every wish must be open, of this category and in this community.",
    ),
    "project_wishes_taken": (
        "其中一些心愿已经属于某个项目。",
        "Some of these wishes already belong to a project.",
    ),
    "project_slot_not_found": ("没有找到这个岗位。", "No such slot."),
    "project_slot_full": ("这个岗位的名额已满。", "Every place in this slot is taken."),
    "project_assignee_elsewhere": (
        "此人不在这个项目所在的社区做志愿者。",
        "The person does not volunteer in this project's community.",
    ),
    "project_assignee_not_member": (
        "此人不是该合作单位的成员。",
        "The person is not a member of that partner unit.",
    ),
    "project_choose_services": ("请选择要确认的服务。", "Choose the services to confirm."),
}
