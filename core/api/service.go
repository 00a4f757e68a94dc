package api

import "strings"

// Service is core/v1 Service.
type Service struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Spec       ServiceSpec   `json:"spec"`
	Status     ServiceStatus `json:"status,omitempty"`
}

// ServiceSpec is core/v1 ServiceSpec.
type ServiceSpec struct {
	Type                     string            `json:"type,omitempty"`
	Selector                 map[string]string `json:"selector,omitempty"`
	Ports                    []ServicePort     `json:"ports,omitempty"`
	ClusterIP                string            `json:"clusterIP,omitempty"`
	ClusterIPs               []string          `json:"clusterIPs,omitempty"`
	PublishNotReadyAddresses bool              `json:"publishNotReadyAddresses,omitempty"`
	SessionAffinity          string            `json:"sessionAffinity,omitempty"`
	ExternalName             string            `json:"externalName,omitempty"`
	ExternalTrafficPolicy    string            `json:"externalTrafficPolicy,omitempty"`
	InternalTrafficPolicy    *string           `json:"internalTrafficPolicy,omitempty"`
}

// ClusterIPNone marks a headless Service.
const ClusterIPNone = "None"

// ServicePort is core/v1 ServicePort.
type ServicePort struct {
	Name        string      `json:"name,omitempty"`
	Protocol    string      `json:"protocol,omitempty"`
	Port        int32       `json:"port"`
	TargetPort  IntOrString `json:"targetPort,omitempty"`
	NodePort    int32       `json:"nodePort,omitempty"`
	AppProtocol *string     `json:"appProtocol,omitempty"`
}

// ServiceStatus is core/v1 ServiceStatus (load balancers are not simulated).
type ServiceStatus struct{}

// EndpointSlice is discovery/v1 EndpointSlice.
type EndpointSlice struct {
	TypeMeta    `json:",inline"`
	ObjectMeta  `json:"metadata"`
	AddressType string         `json:"addressType"`
	Endpoints   []Endpoint     `json:"endpoints"`
	Ports       []EndpointPort `json:"ports,omitempty"`
}

// Endpoint is discovery/v1 Endpoint.
type Endpoint struct {
	Addresses  []string           `json:"addresses"`
	Conditions EndpointConditions `json:"conditions"`
	Hostname   *string            `json:"hostname,omitempty"`
	TargetRef  *ObjectReference   `json:"targetRef,omitempty"`
	NodeName   *string            `json:"nodeName,omitempty"`
	Zone       *string            `json:"zone,omitempty"`
}

// EndpointConditions is discovery/v1 EndpointConditions.
type EndpointConditions struct {
	Ready       *bool `json:"ready,omitempty"`
	Serving     *bool `json:"serving,omitempty"`
	Terminating *bool `json:"terminating,omitempty"`
}

// EndpointPort is discovery/v1 EndpointPort.
type EndpointPort struct {
	Name     *string `json:"name,omitempty"`
	Protocol *string `json:"protocol,omitempty"`
	Port     *int32  `json:"port,omitempty"`
}

// ObjectReference is core/v1 ObjectReference (the fields endpoints use).
type ObjectReference struct {
	Kind      string `json:"kind,omitempty"`
	Namespace string `json:"namespace,omitempty"`
	Name      string `json:"name,omitempty"`
	UID       string `json:"uid,omitempty"`
}

// DNSRecord is one answer cluster DNS gives, kept in the store by the dns controller so that
// traces, the page and `nslookup` read the same records. It is not an upstream kind.
type DNSRecord struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	// FQDN is the queried name, e.g. "web-0.nginx.default.svc.cluster.local".
	FQDN string `json:"fqdn"`
	// Type is "A", "AAAA", "SRV", "CNAME" or "PTR".
	Type string `json:"type"`
	// Data is the answer: an IP for A, "priority weight port target" for SRV.
	Data string `json:"data"`
}

// DNSRecordName is the object name the dns controller gives the record of an answer: made
// from its content, so the store's order of DNSRecords can be recomputed from the answer
// alone (the trace's delta records rely on it).
func DNSRecordName(fqdn, typ, data string) string {
	return strings.ToLower(fqdn + "." + typ + "." + strings.ReplaceAll(strings.TrimSuffix(data, "."), " ", "_"))
}

// ConfigMap is core/v1 ConfigMap.
type ConfigMap struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Data       map[string]string `json:"data,omitempty"`
	BinaryData map[string]string `json:"binaryData,omitempty"`
	Immutable  *bool             `json:"immutable,omitempty"`
}

// Secret is core/v1 Secret.
type Secret struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Type       string            `json:"type,omitempty"`
	Data       map[string]string `json:"data,omitempty"`
	StringData map[string]string `json:"stringData,omitempty"`
	Immutable  *bool             `json:"immutable,omitempty"`
}

// Namespace is core/v1 Namespace.
type Namespace struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
}
