"""Messages of the team deployment behind JupyterHub (issue 20): roles,
refusals, ``fieldeval hub`` and its accounts."""

MESSAGES = {
    "hub.role.admin": ("管理员", "administrator"),
    "hub.role.supervisor": ("督导", "supervisor"),
    "hub.role.evaluator": ("评估员", "evaluator"),
    "hub.role.leadership": ("领导", "leadership"),
    "hub.role.none": ("（无角色）", "(no role)"),
    "hub.action.leadership": ("查看领导看板", "open the leadership dashboard"),
    "hub.action.walkthrough": ("逐户核查", "open the household walkthrough"),
    "hub.action.entry": ("录入问卷", "open the entry form"),
    "hub.action.quality": ("查看数据质量", "open the data-quality page"),
    "hub.action.progress": ("查看进度", "open the field progress page"),
    "hub.action.files": ("读取原始文件", "read raw files"),
    "hub.action.kernel": ("使用内核接口", "use the kernel interface"),
    "hub.action.note": ("写核查备注", "write notes"),
    "hub.action.review": ("作出审核决定或回访结论", "record review decisions or back-check results"),
    "hub.refused": (
        "拒绝：用户“{user}”（角色：{role}）无权{action}。如确需此权限，请联系管理员调整角色。",
        "Refused: user \"{user}\" (role: {role}) may not {action}. Ask an administrator to change the role "
        "if this is needed."),
    "hub.refused_title": ("无权访问", "Not allowed"),
    "hub.refused_page": (
        "您（{user}，角色：{role}）无权访问此页面或文件。此次请求已记录。",
        "You ({user}, role: {role}) may not open this page or file. This request has been logged."),
    "hub.refused_home": ("返回领导看板", "Back to the leadership dashboard"),
    "hub.refused_log": ("拒绝访问：用户 {user}（{role}）请求 {method} {path}",
                        "Refused: user {user} ({role}) asked for {method} {path}"),
    "hub.memory_over": (
        "用户 {user} 的服务器占用内存 {used} MiB，超过上限 {limit} MiB：已停止其看板内核",
        "User {user}'s server used {used} MiB, over the limit of {limit} MiB: its dashboard kernels were stopped"),
    # fieldeval hub init / start
    "hub.init_done": ("已写入 JupyterHub 配置：{config}（私密目录 {private}，权限 0700）",
                      "JupyterHub configuration written: {config} (private folder {private}, mode 0700)"),
    "hub.init_next": (
        "下一步：fieldeval hub user add 用户名 --role admin --project {project}，然后 fieldeval hub start --project {project}",
        "Next: fieldeval hub user add NAME --role admin --project {project}, then fieldeval hub start --project {project}"),
    "hub.init_exists": ("已有 JupyterHub 配置：{path}。如要重写，请加 --force（Cookie 密钥和账户保留）",
                        "A JupyterHub configuration already exists: {path}. Add --force to write it again "
                        "(the cookie secret and the accounts are kept)"),
    "hub.not_initialised": ("项目尚未配置 JupyterHub（缺少 {path}）。请先运行 fieldeval hub init --project {project}",
                            "The project has no JupyterHub set-up ({path} is missing). Run fieldeval hub init "
                            "--project {project} first"),
    "hub.no_proxy": (
        "找不到 JupyterHub 代理 configurable-http-proxy。请运行 bash scripts/install-hub.sh（或 make sysdeps），"
        "或用环境变量 FIELDEVAL_CHP 指定其路径",
        "JupyterHub's proxy configurable-http-proxy was not found. Run bash scripts/install-hub.sh (or make sysdeps), "
        "or give its path in the environment variable FIELDEVAL_CHP"),
    "hub.no_jupyterhub": ("未安装 JupyterHub。请安装项目依赖（make venv）",
                          "JupyterHub is not installed. Install the project's dependencies (make venv)"),
    "hub.started": ("JupyterHub 已启动：{url}（按 Ctrl-C 停止）", "JupyterHub is running: {url} (Ctrl-C stops it)"),
    "hub.not_started": ("JupyterHub 未能启动（端口 {port} 可能已被占用），日志：{log}",
                        "JupyterHub did not start (port {port} may be taken); its log: {log}"),
    "hub.stopped": ("JupyterHub 已停止，其启动的所有进程均已结束", "JupyterHub stopped, with every process it started"),
    # fieldeval hub user
    "hub.bad_role": ("无效的角色：{role}。可选：admin、supervisor、evaluator、leadership",
                     "Unknown role: {role}. Use one of admin, supervisor, evaluator, leadership"),
    "hub.bad_name": ("无效的用户名：{name}。只可使用小写字母、数字、点、下划线和连字符（最长 64 个字符）",
                     "Invalid user name: {name}. Use lower-case letters, digits, dots, underscores and hyphens "
                     "(at most 64 characters)"),
    "hub.user_exists": ("用户 {name} 已存在。如要改变角色，请用 fieldeval hub user role",
                        "User {name} already exists. Use fieldeval hub user role to change the role"),
    "hub.no_user": ("没有用户 {name}", "There is no user {name}"),
    "hub.short_password": ("密码太短：至少 {n} 个字符", "The password is too short: at least {n} characters"),
    "hub.user_added": ("已创建用户 {name}（角色：{role}）", "User {name} created (role: {role})"),
    "hub.password_once": ("初始密码（只显示这一次，请妥善转交）：{password}",
                          "Initial password (shown only this once; hand it over safely): {password}"),
    "hub.user_removed": ("已删除用户 {name}", "User {name} removed"),
    "hub.user_role": ("用户 {name} 的角色已改为 {role}", "User {name} now has the role {role}"),
    "hub.user_list_head": ("用户\t角色\t已激活", "user\trole\tactive"),
    "hub.yes": ("是", "yes"),
    "hub.no": ("否", "no"),
    "hub.no_users": ("还没有用户", "No users yet"),
    "hub.last_admin": ("不能删除或降级最后一位管理员 {name}", "Cannot remove or demote the last administrator, {name}"),
}
