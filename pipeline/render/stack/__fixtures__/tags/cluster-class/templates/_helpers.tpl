{{- define "fixture.labels" -}}
app.kubernetes.io/managed-by: {{ .Release.Service }}
csp.example/addon-version: "<< .ClusterAddonVersion >>"
{{- end }}
