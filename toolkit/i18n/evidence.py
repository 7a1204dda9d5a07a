"""Messages of the visit's evidence: photos kept at ingest (toolkit.ingest.media)
and the walkthrough's photos and location pane (toolkit.widgets.evidence)."""

MESSAGES = {
    # ingest: photos not kept (issues.csv, severity warning)
    "evidence.issue.unsafe_name": ("照片文件名“{name}”含有路径或“..”，未按此名查找，照片未保存",
                                   "photo file name '{name}' holds a path or '..'; it was not looked up and "
                                   "no photo was kept"),
    "evidence.issue.missing": ("答案中的照片“{name}”不在导出文件中（导出时请勾选包含媒体文件，"
                               "或把媒体附件压缩包一并导入）",
                               "photo '{name}' named in the answer is not in the export (export with media "
                               "files, or give the media attachments zip to the ingest as well)"),
    "evidence.issue.too_large": ("照片“{name}”超过单个文件上限 {limit}，未保存",
                                 "photo '{name}' is larger than the limit of {limit} a file; not kept"),
    "evidence.issue.over_total": ("照片“{name}”未保存：本次导入的照片合计已超过 {limit}",
                                  "photo '{name}' not kept: the photos of this ingest already exceed {limit} "
                                  "in all"),
    "evidence.issue.not_image": ("文件“{name}”不是照片（只保存 JPEG、PNG、WebP 图片，按文件内容判断而非扩展名），"
                                 "未保存、未打开",
                                 "file '{name}' is not a photo (only JPEG, PNG and WebP images are kept, judged "
                                 "by their content, not their name); not kept and never opened"),
    # walkthrough pane
    "evidence.title": ("佐证照片与访问地点", "Evidence photos and visit location"),
    "evidence.photo_n": ("佐证照片 {n}", "Evidence photo {n}"),
    "evidence.no_photos": ("本次访问没有保存照片", "No photos were kept for this visit"),
    "evidence.cannot_show": ("该照片无法显示（文件缺失、过大或不是图片）",
                             "This photo cannot be shown (file missing, too large or not an image)"),
    "evidence.no_gps": ("本次访问没有记录 GPS 位置", "No GPS location was recorded for this visit"),
    "evidence.point": ("访问地点：纬度 {lat}°，经度 {lon}°", "Visit location: latitude {lat}°, longitude {lon}°"),
    "evidence.alone": ("本乡镇（街道）没有其他带位置的访问，无法比较距离",
                       "No other visit in this township has a location; distances cannot be compared"),
    "evidence.distances": ("与本乡镇（街道）其他 {n} 户访问地点的距离：中位数 {median}，最近 {nearest}"
                           "（本乡镇各户的典型中位距离 {typical}）",
                           "Distance to the township's {n} other visits: median {median}, nearest {nearest} "
                           "(typical median distance in the township {typical})"),
    "evidence.far": ("⚠ 访问地点远离本乡镇其他访问（中位距离超过典型值的 {factor} 倍），请核实是否确在该户家中访问",
                     "⚠ This visit is far from the township's other visits (median distance more than {factor} "
                     "times the typical one): check that it really took place at the household"),
    "evidence.too_few": ("本乡镇带位置的访问太少，不判断是否偏远",
                         "Too few visits with a location in this township to judge whether this one is far"),
    "evidence.scatter_title": ("本乡镇访问地点示意（红点为本户，灰点为其他户；离线绘制，无地图底图）",
                               "Visits in this township (red: this household, grey: others; drawn offline, "
                               "no map tiles)"),
    "evidence.m": ("{v} 米", "{v} m"),
    "evidence.km": ("{v} 公里", "{v} km"),
}
