"""Words of the walkthrough's review queue (issue 17): filters, statuses, progress."""
from __future__ import annotations

MESSAGES = {
    "walkq.queue": ("复核队列", "Review queue"),
    "walkq.all": ("全部已访户", "All households visited"),
    "walkq.to_review": ("待复核", "To review"),
    "walkq.decided": ("已决定", "Decided"),
    "walkq.sent_back": ("已退回实地", "Sent back to the field"),
    "walkq.progress": ("复核进度：已复核 {done} / {n} 项（队列含有问题的发现、平台或质量检查挂起的问卷及随机抽取的 {share}）",
                       "Review: {done} of {n} items reviewed (the queue holds every finding, submissions held by "
                       "the platform or a quality check, and a random {share} of the rest)"),
    "walkq.none": ("这一类没有住户。", "No household in this group."),
    "walkq.status": ("问卷状态", "Submission"),
    "walkq.st_approved": ("通过", "approve"),
    "walkq.st_rejected": ("作废（按未访问计）", "reject (counts as non-response)"),
    "walkq.st_sent_back": ("退回实地重访", "send back to the field"),
    "walkq.st_to_review": ("恢复为待复核", "back to review"),
    "walkq.save_status": ("保存问卷状态", "Save status"),
    "walkq.v_overturned": ("不成立", "overturned"),
    "labels.verdict.overturned": ("不成立", "overturned"),
    "walkq.next_verify": ("已保存。下次更新核查结果时（重新核查，或重新打开看板）计入。",
                          "Saved. It counts from the next fieldeval verify (or when the dashboards are opened again)."),
}
