/* Prometheus text metrics: requests by route and status, latency, errors. */
#ifndef VHD_METRICS_H
#define VHD_METRICS_H

void vhd_metrics_request(const char *route, const char *method, int status, double ms);
void vhd_metrics_db_error(void);
void vhd_metrics_reload(int ok);
/* the exposition text, malloc'd */
char *vhd_metrics_text(void);

#endif
