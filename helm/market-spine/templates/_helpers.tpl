{{/* Release-wide base name: <release>-market-spine, or the release name when it already contains the chart name. */}}
{{- define "spine.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
A component's name, <fullname>-<suffix>, at most 63 characters. The base is cut before the suffix is added, so
"-worker-fetch" and "-worker-stage" never collapse into the same truncated name. Call with (list $ "suffix").
*/}}
{{- define "spine.name" -}}
{{- $root := index . 0 -}}
{{- $suffix := index . 1 -}}
{{- $base := include "spine.fullname" $root | trunc (int (sub 62 (len $suffix))) | trimSuffix "-" -}}
{{- printf "%s-%s" $base $suffix -}}
{{- end -}}

{{- define "spine.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Selector labels (immutable on a Deployment): name, instance, component. Call with (list $ "component"). */}}
{{- define "spine.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ default $root.Chart.Name $root.Values.nameOverride | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
{{- with index . 1 }}
app.kubernetes.io/component: {{ . }}
{{- end }}
{{- end -}}

{{/* The standard labels. Call with (list $ "component") or (list $ "") for release-wide objects. */}}
{{- define "spine.labels" -}}
{{- $root := index . 0 -}}
helm.sh/chart: {{ include "spine.chart" $root }}
{{ include "spine.selectorLabels" . }}
app.kubernetes.io/version: {{ $root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: market-spine
app.kubernetes.io/managed-by: {{ $root.Release.Service }}
{{- end -}}

{{- define "spine.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "spine.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The Secret every container reads: the chart's own (secret.create) or one the operator made (existingSecret). */}}
{{- define "spine.secretName" -}}
{{- if .Values.secret.create -}}
{{- include "spine.fullname" . -}}
{{- else -}}
{{- required "existingSecret is required (a Secret with DATABASE_URL, REDIS_URL, ...; see the chart README), or set secret.create=true with secret.data" .Values.existingSecret -}}
{{- end -}}
{{- end -}}

{{/* The chart-managed Secret's data, checked: the keys the apps cannot run without. */}}
{{- define "spine.secretData" -}}
{{- $d := .Values.secret.data -}}
{{- $_ := required "secret.data.DATABASE_URL is required when secret.create=true" $d.DATABASE_URL -}}
{{- $_ := required "secret.data.REDIS_URL is required when secret.create=true" $d.REDIS_URL -}}
{{- $_ := required "secret.data.DASHBOARD_ADMIN_PASSWORD is required when secret.create=true" $d.DASHBOARD_ADMIN_PASSWORD -}}
{{- if and (include "spine.dashboardMultiReplica" .) (not $d.DASHBOARD_SESSION_SECRET) -}}
{{- fail "secret.data.DASHBOARD_SESSION_SECRET is required when the dashboard runs more than one replica: sessions signed by one pod must verify on another" -}}
{{- end -}}
{{- range $k, $v := $d }}
{{- if $v }}
{{ $k }}: {{ $v | toString | b64enc | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/* "true" when more than one dashboard pod may run (replicas or its autoscaler). */}}
{{- define "spine.dashboardMultiReplica" -}}
{{- if or (gt (int .Values.dashboard.replicas) 1) (and .Values.dashboard.autoscaling.enabled (gt (int .Values.dashboard.autoscaling.maxReplicas) 1)) -}}true{{- end -}}
{{- end -}}

{{/*
Non-secret settings as KEY: "value" lines: the ConfigMap's data and, inline, the migration Job's env (the Job is a
pre-install hook and runs before the ConfigMap exists). Credentials (URLs with passwords, keys) never go here.
*/}}
{{- define "spine.configData" -}}
QUEUE_PREFIX: {{ .Values.config.queuePrefix | quote }}
{{- with .Values.config.s3Endpoint }}
S3_ENDPOINT: {{ . | quote }}
{{- end }}
S3_BUCKET: {{ .Values.config.s3Bucket | quote }}
S3_REGION: {{ .Values.config.s3Region | quote }}
FINRA_BASE_URL: {{ .Values.config.finraBaseUrl | quote }}
{{- with .Values.config.finraTokenUrl }}
FINRA_TOKEN_URL: {{ . | quote }}
{{- end }}
LOG_LEVEL: {{ .Values.config.logLevel | quote }}
QUALITY_MAX_REJECT_SHARE: {{ .Values.config.qualityMaxRejectShare | quote }}
REVISION_CHECK_HOURS: {{ .Values.config.revisionCheckHours | quote }}
{{- /* Every process that asks for a source (dashboard, CLI jobs) and every worker that opens one checks the same
lists, so they are settings of all pods alike. */}}
{{- with .Values.config.sourceDirAllowlist }}
SOURCE_DIR_ALLOWLIST: {{ join "," . | quote }}
{{- end }}
{{- with .Values.config.sourceS3BucketAllowlist }}
SOURCE_S3_BUCKET_ALLOWLIST: {{ join "," . | quote }}
{{- end }}
SCHEDULER_CRON: {{ .Values.scheduler.cron | quote }}
SCHEDULER_LEASE_TTL_MS: {{ .Values.scheduler.leaseTtlMs | quote }}
SCHEDULER_HEALTH_PORT: {{ .Values.scheduler.healthPort | quote }}
WORKER_LOCK_MS: {{ .Values.worker.lockMs | quote }}
WORKER_SHUTDOWN_MS: {{ .Values.worker.shutdownMs | quote }}
WORKER_HEALTH_PORT: {{ .Values.worker.healthPort | quote }}
DASHBOARD_PORT: {{ .Values.dashboard.port | quote }}
{{- /* Behind the Ingress controller (one hop) the dashboard must trust X-Forwarded-* to see HTTPS (Secure cookies)
and client addresses (sign-in throttling). */}}
DASHBOARD_TRUST_PROXY: {{ default (ternary "1" "false" .Values.ingress.enabled) .Values.dashboard.trustProxy | quote }}
{{- end -}}

{{/* Rolls every pod when the settings or the chart-managed Secret change. */}}
{{- define "spine.checksumAnnotation" -}}
{{- $secret := "" -}}
{{- if .Values.secret.create }}{{ $secret = include "spine.secretData" . }}{{ end -}}
checksum/config: {{ printf "%s\n%s" (include "spine.configData" .) $secret | sha256sum }}
{{- end -}}

{{- define "spine.image" -}}
{{ printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) | quote }}
{{- end -}}

{{/* Pod-level settings shared by every pod. Call with (list $ podAnnotationsExtra). */}}
{{- define "spine.podSpecCommon" -}}
serviceAccountName: {{ include "spine.serviceAccountName" . }}
automountServiceAccountToken: false
{{- with .Values.imagePullSecrets }}
imagePullSecrets: {{- toYaml . | nindent 2 }}
{{- end }}
securityContext: {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.nodeSelector }}
nodeSelector: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity: {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* The root filesystem is read-only: /tmp (rejects spool, Node's temp files) is an emptyDir. */}}
{{- define "spine.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpVolume.sizeLimit }}
{{- end -}}

{{- define "spine.tmpMount" -}}
- name: tmp
  mountPath: /tmp
{{- end -}}

{{/* Pod template metadata: labels and annotations (podAnnotations may be empty). Call with (list $ "component" portNumber). */}}
{{- define "spine.podMetadata" -}}
{{- $root := index . 0 -}}
labels:
  {{- include "spine.labels" (list $root (index . 1)) | nindent 2 }}
  {{- with $root.Values.podLabels }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
annotations:
  {{- include "spine.checksumAnnotation" $root | nindent 2 }}
  {{- with $root.Values.podAnnotations }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- end -}}

{{/*
The Secret keys each component reads, and no other: the whole Secret in every pod would hand the workers the
dashboard's session secret (enough to mint admin cookies) and the dashboard the S3 and FINRA credentials. The
dashboard's backfill asks FINRA's published weeks without credentials (the transparency datasets need none).
*/}}
{{- define "spine.secretKeys" -}}
worker-fetch: [DATABASE_URL, REDIS_URL, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, FINRA_CLIENT_ID, FINRA_CLIENT_SECRET]
worker-stage: [DATABASE_URL, REDIS_URL, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY]
scheduler: [DATABASE_URL, REDIS_URL, FINRA_CLIENT_ID, FINRA_CLIENT_SECRET, ALERT_WEBHOOK_URL]
dashboard: [DATABASE_URL, REDIS_URL, DASHBOARD_ADMIN_PASSWORD, DASHBOARD_VIEWER_PASSWORD, DASHBOARD_SESSION_SECRET]
retention: [DATABASE_URL]
migrate: [DATABASE_URL]
{{- end -}}

{{/*
Who may connect to each component and where it may connect, for the NetworkPolicies. from: "clients" is
networkPolicy.dashboardFrom, "metrics" networkPolicy.metricsFrom, "helmTest" the chart's `helm test` pod (it asks
/readyz); to: the networkPolicy.egress targets. The dashboard asks FINRA's published weeks for a backfill.
*/}}
{{- define "spine.networkAccess" -}}
dashboard: { from: [clients, metrics, helmTest], to: [dns, postgresql, redis, finra] }
worker-fetch: { from: [metrics, helmTest], to: [dns, postgresql, redis, s3, finra] }
worker-stage: { from: [metrics, helmTest], to: [dns, postgresql, redis, s3] }
scheduler: { from: [metrics], to: [dns, postgresql, redis, finra, alertWebhook] }
retention: { from: [], to: [dns, postgresql] }
migrate: { from: [], to: [dns, postgresql] }
{{- end -}}

{{/*
env entries for a component's Secret keys. A required key missing from the Secret keeps the pod from starting
(optional: false) instead of letting the app fall back to a local default. More than one dashboard pod requires the
session secret: a cookie signed by one pod must verify on the others. Call with (list $ "component" secretName).
*/}}
{{- define "spine.secretEnv" -}}
{{- $root := index . 0 -}}
{{- $component := index . 1 -}}
{{- $required := list "DATABASE_URL" "REDIS_URL" "DASHBOARD_ADMIN_PASSWORD" -}}
{{- if include "spine.dashboardMultiReplica" $root }}{{ $required = append $required "DASHBOARD_SESSION_SECRET" }}{{ end -}}
{{- range $key := index (include "spine.secretKeys" $root | fromYaml) $component }}
- name: {{ $key }}
  valueFrom:
    secretKeyRef:
      name: {{ index $ 2 }}
      key: {{ $key }}
      optional: {{ not (has $key $required) }}
{{- end }}
{{- end -}}

{{/* Environment: the ConfigMap, and the component's keys of the Secret. Call with (list $ "component"). */}}
{{- define "spine.env" -}}
{{- $root := index . 0 -}}
envFrom:
  - configMapRef:
      name: {{ include "spine.fullname" $root }}
env: {{- include "spine.secretEnv" (list $root (index . 1) (include "spine.secretName" $root)) | trim | nindent 2 }}
{{- end -}}

{{/* startup, liveness (/livez) and readiness (/readyz) probes on the named port "http". */}}
{{- define "spine.probes" -}}
startupProbe:
  httpGet: { path: /livez, port: http }
  periodSeconds: {{ .Values.probes.startup.periodSeconds }}
  failureThreshold: {{ .Values.probes.startup.failureThreshold }}
livenessProbe:
  httpGet: { path: /livez, port: http }
  periodSeconds: {{ .Values.probes.liveness.periodSeconds }}
  timeoutSeconds: {{ .Values.probes.liveness.timeoutSeconds }}
  failureThreshold: {{ .Values.probes.liveness.failureThreshold }}
readinessProbe:
  httpGet: { path: /readyz, port: http }
  periodSeconds: {{ .Values.probes.readiness.periodSeconds }}
  timeoutSeconds: {{ .Values.probes.readiness.timeoutSeconds }}
  failureThreshold: {{ .Values.probes.readiness.failureThreshold }}
{{- end -}}

{{/* Seconds Kubernetes waits after SIGTERM: the worker's drain deadline plus a margin for closing connections. */}}
{{- define "spine.workerGraceSeconds" -}}
{{- add (div (int .Values.worker.shutdownMs) 1000) 15 -}}
{{- end -}}
