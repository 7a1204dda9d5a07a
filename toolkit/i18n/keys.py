"""Messages of encryption at rest, the project key and encrypted ODK submissions (keys ``keys.``)."""

MESSAGES = {
    "keys.missing": (
        "找不到项目 {project} 的密钥文件 {path}（密钥编号 {key_id}）。本项目的可识别数据已加密，没有密钥无法读取。"
        "请把密钥文件放回该位置（或用 fieldeval key restore 从备份恢复，或设置环境变量 FIELDEVAL_KEY）后重试。",
        "The key file {path} of project {project} was not found (key id {key_id}). This project's identifiable "
        "data is encrypted and cannot be read without it. Put the key file back there (or restore it from a "
        "backup with fieldeval key restore, or set the environment variable FIELDEVAL_KEY) and try again."),
    "keys.wrong_key": (
        "{path} 中没有所需的密钥（密钥编号 {key_id}）：这不是加密该文件所用的密钥。请使用本项目的密钥文件或其备份。",
        "{path} does not hold the key needed (key id {key_id}): it is not the key that encrypted this file. "
        "Use this project's key file or its backup."),
    "keys.tampered": (
        "文件 {path} 无法通过完整性校验：它被修改、截断、替换或移动过，未读取任何内容。请从备份恢复该文件或重新运行生成它的步骤。",
        "The file {path} failed its integrity check: it was changed, cut short, swapped or moved, and nothing "
        "of it was read. Restore it from a backup or run again the step that writes it."),
    "keys.not_sealed": (
        "文件 {path} 不是 fieldeval 加密文件。",
        "The file {path} is not a fieldeval encrypted file."),
    "keys.no_project": (
        "文件 {path} 已加密，但不在有密钥的项目文件夹中（找不到 encryption.json）。请在项目文件夹内读取它。",
        "The file {path} is encrypted but is not inside a project folder with a key (no encryption.json found). "
        "Read it from inside its project folder."),
    "keys.not_encrypting": (
        "项目 {path} 尚未启用加密。请先运行 fieldeval key init --project {path}。",
        "Project {path} does not encrypt yet. Run fieldeval key init --project {path} first."),
    "keys.bad_marker": (
        "加密说明文件 {path} 已损坏。请从备份恢复它（其中只有项目编号和密钥编号，不含密钥）。",
        "The encryption record {path} is damaged. Restore it from a backup (it holds only the project id and "
        "the key id, not the key)."),
    "keys.bad_key_file": (
        "密钥 {path} 无法读取或格式不对。请使用 fieldeval key init 生成的密钥文件，或用 fieldeval key restore 从备份恢复。",
        "The key {path} cannot be read or has the wrong form. Use the key file written by fieldeval key init, "
        "or restore it from a backup with fieldeval key restore."),
    "keys.key_file_open": (
        "密钥文件 {path} 其他用户也能读取，已拒绝使用。请运行 chmod 600 {path} 后重试。",
        "The key file {path} can be read by other users and was refused. Run chmod 600 {path} and try again."),
    "keys.other_project": (
        "密钥 {path} 属于另一个项目，不是 {project} 的密钥。",
        "The key {path} belongs to another project, not to {project}."),
    "keys.key_in_project": (
        "密钥（或其备份）不能放在项目文件夹内：{path}。请选择项目文件夹以外的位置。",
        "The key (or its backup) must not be kept inside the project folder: {path}. Choose a place outside it."),
    "keys.key_exists": (
        "{path} 已存在密钥文件，未覆盖。请换一个位置或先移走该文件。",
        "A key file already exists at {path} and was not overwritten. Choose another place or move it first."),
    "keys.already": (
        "本项目已有密钥（{path}）。要更换密钥请用 fieldeval key rotate。",
        "This project already has a key ({path}). To change it use fieldeval key rotate."),
    "keys.rotate_env": (
        "密钥来自环境变量 FIELDEVAL_KEY，无法就地轮换。请改用密钥文件轮换，再更新环境变量。",
        "The key comes from the environment variable FIELDEVAL_KEY and cannot be rotated in place. Rotate with "
        "the key file, then update the variable."),
    "keys.passphrase_short": (
        "备份口令太短：至少需要 12 个字符。",
        "The backup passphrase is too short: at least 12 characters are needed."),
    "keys.no_passphrase": (
        "没有读到口令。请在标准输入中输入口令（例如 fieldeval key backup ... < 口令文件）。",
        "No passphrase was read. Give it on standard input (for example fieldeval key backup ... < passphrase-file)."),
    "keys.bad_backup": (
        "{path} 不是 fieldeval 密钥备份文件。",
        "{path} is not a fieldeval key backup."),
    "keys.bad_passphrase": (
        "口令不正确，无法打开密钥备份 {path}。",
        "The passphrase is wrong: the key backup {path} cannot be opened."),
    "keys.cli.init": (
        "已为项目生成密钥，保存在 {path}（仅本人可读）。已加密现有可识别文件 {n} 个。请立即备份密钥：fieldeval key backup。",
        "A key was made for the project and kept in {path} (readable by you only). {n} existing identifiable "
        "files were encrypted. Back the key up now: fieldeval key backup."),
    "keys.cli.rotate": (
        "已换用新密钥（编号 {key_id}），重新加密文件 {n} 个；旧密钥已删除。请重新备份密钥。",
        "Switched to a new key (id {key_id}) and re-encrypted {n} files; the old key was removed. Back the key "
        "up again."),
    "keys.cli.backup": (
        "已用口令加密备份密钥：{path}。请把它和口令分开保存。",
        "The key was backed up, sealed with the passphrase: {path}. Keep it apart from the passphrase."),
    "keys.cli.restore": (
        "已从备份恢复密钥到 {path}。",
        "The key was restored from the backup to {path}."),
    "keys.cli.passphrase": (
        "请输入备份口令（至少 12 个字符），然后回车：",
        "Type the backup passphrase (at least 12 characters), then Enter:"),
    "keys.status.off": (
        "本项目未加密静态数据。可识别文件（明文）：{plain} 个。启用：fieldeval key init --project 项目文件夹。",
        "This project does not encrypt its files. Identifiable files (plain): {plain}. To start: fieldeval key "
        "init --project DIR."),
    "keys.status.on": (
        "本项目加密可识别数据。项目编号 {project_id}；当前密钥编号 {key_id}；密钥位置 {key_file}。"
        "已加密文件 {sealed} 个，仍为明文的可识别文件 {plain} 个。",
        "This project encrypts its identifiable data. Project id {project_id}; current key id {key_id}; key "
        "kept at {key_file}. Encrypted files: {sealed}; identifiable files still plain: {plain}."),
    "keys.status.found": ("密钥已找到，可以读取。", "The key was found: files can be read."),
    "keys.status.pending": (
        "有一次未完成的密钥轮换：请再次运行 fieldeval key rotate 完成它。",
        "A key rotation is unfinished: run fieldeval key rotate again to finish it."),
    "keys.cli.decrypted": ("已解密到 {path}（仅本人可读）。", "Decrypted to {path} (readable by you only)."),
    "keys.cli.keypair": (
        "已生成 ODK 加密密钥对：私钥 {private}（仅本人可读，切勿放进表单或发给他人），公钥 {public}。"
        "把下面这一行公钥（不含首尾行）填入问卷 settings 表的 public_key 列：\n{line}",
        "An ODK encryption key pair was written: private key {private} (readable by you only; never put it in "
        "the form or send it to anyone), public key {public}. Put this one-line public key (without the BEGIN/END "
        "lines) in the public_key column of the form's settings sheet:\n{line}"),
    "keys.cli.pseudonyms": (
        "已更换假名密钥；{n} 户的新旧假名对照已写入 {path}（仅评估方可见，勿交给领导端）。此后所有输出使用新假名。",
        "The pseudonym key was replaced; the old → new pseudonyms of {n} households were written to {path} (for "
        "the evaluator only, never for leadership). Every output from now on uses the new pseudonyms."),
    # encrypted ODK submissions
    "keys.odk.no_private_key": (
        "{path} 中有 ODK 加密提交，但没有给出私钥。请用 --private-key 私钥文件，或在 evaluation.toml 的 [encryption] "
        "odk_private_key 中写明私钥位置。",
        "{path} holds encrypted ODK submissions but no private key was given. Use --private-key FILE, or name it "
        "in evaluation.toml under [encryption] odk_private_key."),
    "keys.odk.bad_private_key": (
        "私钥 {path} 无法读取：需要 PEM 格式的 RSA 私钥（fieldeval key odk-keypair 生成的那种）。",
        "The private key {path} cannot be read: an RSA private key in PEM form is needed (as fieldeval key "
        "odk-keypair writes)."),
    "keys.odk.wrong_key": (
        "提交 {instance}（{path}）无法用这把私钥解开：它是用另一个公钥加密的。请使用与表单 public_key 配对的私钥。未读取任何内容。",
        "Submission {instance} ({path}) cannot be opened with this private key: it was encrypted for another "
        "public key. Use the private key paired with the form's public_key. Nothing was read."),
    "keys.odk.tampered": (
        "提交 {instance}（{path}）的文件 {file} 被修改或损坏（签名或内容核对失败），整批未读取。请重新导出这份提交。",
        "The file {file} of submission {instance} ({path}) was changed or damaged (its signature or content did "
        "not check), and nothing of this batch was read. Export that submission again."),
    "keys.odk.missing_file": (
        "提交 {instance}（{path}）缺少文件 {file}，整批未读取。请重新导出这份提交（包括附件）。",
        "The submission {instance} ({path}) lacks the file {file}, and nothing of this batch was read. Export "
        "that submission again with its attachments."),
    "keys.odk.bad_manifest": (
        "{path} 中的 submission.xml 不是有效的 ODK 加密提交清单：{detail}",
        "The submission.xml in {path} is not a valid ODK encrypted submission manifest: {detail}"),
    "keys.odk.form_mismatch": (
        "加密提交 {instance} 属于表单 {found}，不是 {expected}。",
        "The encrypted submission {instance} belongs to form {found}, not {expected}."),
}
