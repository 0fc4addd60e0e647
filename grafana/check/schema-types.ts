// The types the dashboards are checked against, all from @grafana/schema (the Grafana 11 release line):
// the dashboard model and, for each panel plugin the boards use, its options and custom field config.
import type * as dashboard from "@grafana/schema/dist/esm/raw/dashboard/x/dashboard_types.gen";
import type * as barchart from "@grafana/schema/dist/esm/raw/composable/barchart/panelcfg/x/BarChartPanelCfg_types.gen";
import type * as bargauge from "@grafana/schema/dist/esm/raw/composable/bargauge/panelcfg/x/BarGaugePanelCfg_types.gen";
import type * as stat from "@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen";
import type * as table from "@grafana/schema/dist/esm/raw/composable/table/panelcfg/x/TablePanelCfg_types.gen";
import type * as text from "@grafana/schema/dist/esm/raw/composable/text/panelcfg/x/TextPanelCfg_types.gen";
import type * as timeseries from "@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen";

export type DashboardModel = dashboard.Dashboard;
export type BarchartOptions = barchart.Options;
export type BarchartFieldConfig = barchart.FieldConfig;
export type BargaugeOptions = bargauge.Options;
export type StatOptions = stat.Options;
export type TableOptions = table.Options;
export type TableFieldConfig = table.FieldConfig;
export type TextOptions = text.Options;
export type TimeseriesOptions = timeseries.Options;
export type TimeseriesFieldConfig = timeseries.FieldConfig;
