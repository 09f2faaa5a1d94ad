// Every metric name the daemon exports, in one place: the registry builder, the Grafana dashboard test and
// docs/observability.md all refer to these.

export const METRIC = {
  buildInfo: 'ldirectord_build_info',
  realState: 'ldirectord_real_server_state',
  realWeight: 'ldirectord_real_server_weight',
  realOverride: 'ldirectord_real_server_operator_override',
  fallbackActive: 'ldirectord_virtual_service_fallback_active',
  checkDuration: 'ldirectord_check_duration_seconds',
  checkResults: 'ldirectord_check_results_total',
  transitions: 'ldirectord_transitions_total',
  ipvsOps: 'ldirectord_ipvs_operations_total',
  ipvsOpFailures: 'ldirectord_ipvs_operation_failures_total',
  reconcileDuration: 'ldirectord_reconcile_duration_seconds',
  reconcilePasses: 'ldirectord_reconcile_passes_total',
  driftRepairs: 'ldirectord_drift_repairs_total',
  reloads: 'ldirectord_config_reloads_total',
  lastReload: 'ldirectord_config_last_reload_success_timestamp_seconds',
  virtualConns: 'ldirectord_ipvs_virtual_connections_total',
  virtualPackets: 'ldirectord_ipvs_virtual_packets_total',
  virtualBytes: 'ldirectord_ipvs_virtual_bytes_total',
  realConns: 'ldirectord_ipvs_real_connections_total',
  realPackets: 'ldirectord_ipvs_real_packets_total',
  realBytes: 'ldirectord_ipvs_real_bytes_total',
  statsReadErrors: 'ldirectord_ipvs_stats_read_errors_total',
} as const;
