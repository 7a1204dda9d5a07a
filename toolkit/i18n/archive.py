"""Messages of toolkit.safezip: zip containers (ODK exports, .xlsx) refused before reading."""
MESSAGES = {
    "archive.unreadable": ("无法作为压缩包读取：{path}（{detail}）。请重新导出。",
                           "Cannot be read as a zip container: {path} ({detail}). Please export it again."),
    "archive.too_many_members": ("压缩包 {path} 里有 {count} 个文件，超过上限 {limit} 个，已拒绝读取。",
                                 "The zip {path} holds {count} files, more than the limit of {limit}; refused."),
    "archive.unsafe_name": ("压缩包 {path} 中的文件名“{member}”含绝对路径或“..”，已拒绝读取。请向导出方核实。",
                            "The zip {path} holds a file named '{member}' with an absolute path or '..'; refused. Check with whoever exported it."),
    "archive.encrypted": ("压缩包 {path} 设有密码（{member}），无法读取。请导出不加密的文件。",
                          "The zip {path} is password-protected ({member}) and cannot be read. Export it without a password."),
    "archive.member_too_large": ("压缩包 {path} 中的“{member}”解压后有 {size}，超过上限 {limit}，已拒绝读取。",
                                 "'{member}' in {path} is {size} uncompressed, over the limit of {limit}; refused."),
    "archive.ratio": ("压缩包 {path} 中的“{member}”压缩比为 {ratio} 倍（上限 {limit} 倍），像是“压缩炸弹”，已拒绝读取。请重新导出或向导出方核实。",
                      "'{member}' in {path} is compressed {ratio} times (limit {limit}); it looks like a zip bomb and is refused. Export it again or check with whoever sent it."),
    "archive.too_large": ("压缩包 {path} 解压后共 {size}，超过上限 {limit}，已拒绝读取。",
                          "The zip {path} expands to {size} in all, over the limit of {limit}; refused."),
}
