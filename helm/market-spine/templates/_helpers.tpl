{{- define "spine.fullname" -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}{{- end -}}

{{- define "spine.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{/* Environment shared by every container: the ConfigMap, then the Secret. */}}
{{- define "spine.env" -}}
envFrom:
  - configMapRef:
      name: {{ include "spine.fullname" . }}
  - secretRef:
      name: {{ .Values.existingSecret }}
{{- end -}}

{{- define "spine.probes" -}}
livenessProbe:
  httpGet: { path: /livez, port: health }
  periodSeconds: 10
readinessProbe:
  httpGet: { path: /readyz, port: health }
  periodSeconds: 5
{{- end -}}
