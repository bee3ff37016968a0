"""The texts of the points (雷锋超市) domain's codes (zh-CN, en)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "points_not_enough": (
        "积分不足：您有 {balance} 分，这件物品需要 {price} 分。",
        "Not enough points: you have {balance}, the item costs {price}.",
    ),
    "points_item_not_found": ("没有找到这件物品。", "No such item."),
    "points_out_of_stock": ("这件物品已经兑完了。", "This item is out of stock."),
    "points_redemption_not_found": ("没有找到这条兑换记录。", "No such redemption."),
    "points_already_handed_over": ("这件物品已经领取过了。", "This item was already handed over."),
}
