"""Messages of `fieldeval demo`."""
MESSAGES = {
    "demo.step_synth": ("生成合成城市（带预设真值）", "Building a synthetic city with planted truth"),
    "demo.step_check": ("读取并检查困难职工档案", "Reading and validating the roster"),
    "demo.step_sample": ("抽取随机抽查样本（两阶段）", "Drawing the random spot-check sample (two-stage)"),
    "demo.step_failed": ("演示在“{step}”一步失败（退出码 {code}）。", "The demo failed at '{step}' (exit code {code})."),
    "demo.done": ("演示完成，所有文件在：{path}", "Demo finished; every file is in: {path}"),
}
