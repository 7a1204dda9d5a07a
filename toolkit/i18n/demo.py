"""Messages of `fieldeval demo`."""
MESSAGES = {
    "demo.step_synth": ("生成合成城市（带预设真值）", "Building a synthetic city with planted truth"),
    "demo.step_check": ("读取并检查困难职工档案", "Reading and validating the roster"),
    "demo.step_sample": ("抽取随机抽查样本（两阶段）", "Drawing the random spot-check sample (two-stage)"),
    "demo.step_failed": ("演示在“{step}”一步失败（退出码 {code}）。", "The demo failed at '{step}' (exit code {code})."),
    "demo.step_visits": ("模拟入户调查（含拒访、三次未遇、搬迁及备用户替补）",
                         "Simulating the household visits (refusals, not at home, moved; reserves released)"),
    "demo.visits_done": ("已释放 {released} 户（其中备用户 {reserves} 户），完成 {completed} 户；问卷数据：{path}",
                         "{released} households released ({reserves} reserves), {completed} interviewed; data: {path}"),
    "demo.step_ingest": ("导入入户调查数据", "Ingesting the visit data"),
    "demo.step_verify": ("档案与入户比对、评估记分卡（右列为植入真值）",
                         "Archive vs visit, the scorecard (right column: the planted truth)"),
    "demo.truth_note": ("植入真值见 {path} 与 output/planted_indicators.csv，仅供检验方法。",
                        "The planted truth is in {path} and output/planted_indicators.csv, for checking the method only."),
    "demo.step_report": ("撰写评估报告（Word、网页、Excel；已去标识化）",
                         "Writing the evaluation report (Word, HTML, Excel; de-identified)"),
    "demo.done": ("演示完成，所有文件在：{path}", "Demo finished; every file is in: {path}"),
}
