{{- define "helm-funcs.name" -}}
{{ .Chart.Name }}-{{ .Values.name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- define "helm-funcs.labels" -}}
app: {{ include "helm-funcs.name" . }}
chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
version: {{ .Chart.AppVersion | quote }}
{{- end }}
{{- define "helm-funcs.recursive" -}}
{{- if gt (int .) 0 }}{{ . }},{{ include "helm-funcs.recursive" (sub (int .) 1) }}{{ end -}}
{{- end }}
