package kubectl_test

import (
	"strings"
	"testing"
)

// TestDescribe pins describe's layout (k8s.io/kubectl pkg/describe/describe.go describePod,
// describeNode, DescribeEvents: tabwriter 0/8/2, conditions with trailing spaces, the
// `(x2 over 75s)` interval, fieldPath-prefixed messages since 1.35, probe text of 1.37).
func TestDescribe(t *testing.T) {
	f := newFixture(t)
	tests := []struct{ line, want string }{
		{"describe pod web-0", `
Name:             web-0
Namespace:        default
Priority:         0
Service Account:  default
Node:             node-1/10.0.0.1
Start Time:       Thu, 01 Jan 2026 00:00:05 +0000
Labels:           app=web
Annotations:      <none>
Status:           Running
IP:               10.244.1.5
IPs:
  IP:           10.244.1.5
Controlled By:  ReplicaSet/web-7d9f
Containers:
  web:
    Container ID:   containerd://c1
    Image:          web:1.0
    Image ID:       web@sha256:1
    Port:           8080/TCP
    Host Port:      0/TCP
    State:          Running
      Started:      Thu, 01 Jan 2026 00:00:40 +0000
    Last State:     Terminated
      Reason:       Error
      Exit Code:    137
      Started:      Thu, 01 Jan 2026 00:00:06 +0000
      Finished:     Thu, 01 Jan 2026 00:00:39 +0000
    Ready:          True
    Restart Count:  1
    Requests:
      cpu:        250m
      memory:     128Mi
    Readiness:    http-get http://:8080/healthz delay=0s timeout=1s period=10s successThreshold=1 failureThreshold=3
    Environment:  <none>
    Mounts:
      /data from data (rw)
Conditions:
  Type              Status
  Initialized       True 
  Ready             True 
  ContainersReady   True 
  PodScheduled      True 
Volumes:
  data:
    Type:        PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)
    ClaimName:   www-web-0
    ReadOnly:    false
QoS Class:       Burstable
Node-Selectors:  <none>
Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                 node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type     Reason     Age                From  Message
  ----     ------     ----               ----  -------
  Normal   Scheduled  90s                user  Successfully assigned default/web-0 to node-1
  Warning  Unhealthy  65s (x2 over 75s)  user  spec.containers{web}: Readiness probe failed: HTTP probe failed with statuscode: 500
`},
		{"describe pods/pending", `
Name:           pending-1
Namespace:      default
Priority:       0
Node:           <none>
Labels:         <none>
Annotations:    <none>
Status:         Pending
IP:             
IPs:            <none>
Controlled By:  ReplicaSet/web-7d9f
Containers:
  web:
    Image:        web:1.0
    Port:         <none>
    Host Port:    <none>
    Environment:  <none>
    Mounts:       <none>
Volumes:          <none>
QoS Class:        BestEffort
Node-Selectors:   <none>
Tolerations:      node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                  node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:           <none>
`},
		{"describe node node-1", `
Name:               node-1
Roles:              <none>
Labels:             kubernetes.io/hostname=node-1
Annotations:        <none>
CreationTimestamp:  Thu, 01 Jan 2026 00:00:00 +0000
Taints:             <none>
Unschedulable:      false
Conditions:
  Type    Status  LastHeartbeatTime                 LastTransitionTime                Reason         Message
  ----    ------  -----------------                 ------------------                ------         -------
  Ready   True    Thu, 01 Jan 2026 00:00:00 +0000   Thu, 01 Jan 2026 00:00:00 +0000   KubeletReady   kubelet is posting ready status
Addresses:
  InternalIP:  10.0.0.1
  Hostname:    node-1
Capacity:
  cpu:     4
  memory:  8Gi
  pods:    110
Allocatable:
  cpu:     4
  memory:  8Gi
  pods:    110
System Info:
  Machine ID:                 
  System UUID:                
  Boot ID:                    
  Kernel Version:             
  OS Image:                   
  Operating System:           
  Architecture:               
  Container Runtime Version:  
  Kubelet Version:            v1.37.2
PodCIDR:                      10.244.0.0/24
PodCIDRs:                     10.244.0.0/24
Non-terminated Pods:          (1 in total)
  Namespace                   Name     CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
  ---------                   ----     ------------  ----------  ---------------  -------------  ---
  default                     web-0    250m (6%)     0 (0%)      128Mi (1%)       0 (0%)         90s
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource           Requests    Limits
  --------           --------    ------
  cpu                250m (6%)   0 (0%)
  memory             128Mi (1%)  0 (0%)
  ephemeral-storage  0 (0%)      0 (0%)
Events:              <none>
`},
		{"describe pod nope", "\nERR: Error from server (NotFound): pods \"nope\" not found\n"},
		{"describe pods -n empty", "\nNo resources found in empty namespace.\n"},
	}
	for _, tt := range tests {
		got := f.run(tt.line)
		want := strings.TrimPrefix(tt.want, "\n")
		if got != want {
			t.Errorf("kubectl %s\n--- got ---\n%s--- want ---\n%s", tt.line, got, want)
		}
	}
}
