package kubectl

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/core/api"
)

// Table printers for StatefulSet, ControllerRevision, Service, EndpointSlice and the storage
// kinds, after pkg/printers/internalversion/printers.go (v1.37.2): printStatefulSet,
// printControllerRevision, printService, printEndpointSlice, printPersistentVolumeClaim,
// printPersistentVolume, printStorageClass.

func init() {
	RegisterPrinter(&TablePrinter{
		Kind:        "StatefulSet",
		Headers:     []string{"NAME", "READY", "AGE"},
		WideHeaders: []string{"CONTAINERS", "IMAGES"},
		Row: func(o api.Object, now api.Time, wide bool) []string {
			s := o.(*api.StatefulSet)
			row := []string{s.Name, fmt.Sprintf("%d/%d", s.Status.ReadyReplicas, api.Deref(s.Spec.Replicas, 1)), age(s.CreationTimestamp, now)}
			if wide {
				var names, images []string
				for _, c := range s.Spec.Template.Spec.Containers {
					names, images = append(names, c.Name), append(images, c.Image)
				}
				row = append(row, strings.Join(names, ","), strings.Join(images, ","))
			}
			return row
		},
	})
	RegisterPrinter(&TablePrinter{
		Kind:    "ControllerRevision",
		Headers: []string{"NAME", "CONTROLLER", "REVISION", "AGE"},
		Row: func(o api.Object, now api.Time, wide bool) []string {
			r := o.(*api.ControllerRevision)
			ctrl := "<none>"
			if ref := api.ControllerOf(&r.ObjectMeta); ref != nil {
				ctrl = LowerKind(ref.Kind) + "/" + ref.Name
			}
			return []string{r.Name, ctrl, strconv.FormatInt(r.Revision, 10), age(r.CreationTimestamp, now)}
		},
	})
	RegisterPrinter(&TablePrinter{
		Kind:        "Service",
		Headers:     []string{"NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"},
		WideHeaders: []string{"SELECTOR"},
		Row: func(o api.Object, now api.Time, wide bool) []string {
			s := o.(*api.Service)
			ext := "<none>"
			switch s.Spec.Type {
			case "ExternalName":
				ext = s.Spec.ExternalName
			case "LoadBalancer":
				ext = "<pending>"
			}
			cip := s.Spec.ClusterIP
			if cip == "" {
				cip = "<none>"
			}
			row := []string{s.Name, s.Spec.Type, cip, ext, servicePorts(s), age(s.CreationTimestamp, now)}
			if wide {
				sel := api.FormatLabels(s.Spec.Selector)
				if len(s.Spec.Selector) == 0 {
					sel = "<none>"
				}
				row = append(row, sel)
			}
			return row
		},
	})
	RegisterPrinter(&TablePrinter{
		Kind:    "EndpointSlice",
		Headers: []string{"NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"},
		Row: func(o api.Object, now api.Time, wide bool) []string {
			s := o.(*api.EndpointSlice)
			return []string{s.Name, s.AddressType, slicePorts(s.Ports), sliceEndpoints(s.Endpoints), age(s.CreationTimestamp, now)}
		},
	})
	RegisterPrinter(&TablePrinter{
		Kind:        "PersistentVolumeClaim",
		Headers:     []string{"NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE"},
		WideHeaders: []string{"VOLUMEMODE"},
		Row: func(o api.Object, now api.Time, wide bool) []string {
			c := o.(*api.PersistentVolumeClaim)
			phase := c.Status.Phase
			if c.DeletionTimestamp != nil {
				phase = "Terminating"
			}
			capacity, modes := "", ""
			if c.Spec.VolumeName != "" {
				if q, ok := c.Status.Capacity["storage"]; ok {
					capacity = q.String()
				}
				modes = accessModes(c.Status.AccessModes)
			}
			row := []string{c.Name, phase, c.Spec.VolumeName, capacity, modes, api.Deref(c.Spec.StorageClassName, ""), "<unset>", age(c.CreationTimestamp, now)}
			if wide {
				row = append(row, api.Deref(c.Spec.VolumeMode, "Filesystem"))
			}
			return row
		},
	})
	RegisterPrinter(&TablePrinter{
		Kind:        "PersistentVolume",
		Headers:     []string{"NAME", "CAPACITY", "ACCESS MODES", "RECLAIM POLICY", "STATUS", "CLAIM", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "REASON", "AGE"},
		WideHeaders: []string{"VOLUMEMODE"},
		Row: func(o api.Object, now api.Time, wide bool) []string {
			pv := o.(*api.PersistentVolume)
			claim := ""
			if r := pv.Spec.ClaimRef; r != nil {
				claim = r.Namespace + "/" + r.Name
			}
			phase := pv.Status.Phase
			if pv.DeletionTimestamp != nil {
				phase = "Terminating"
			}
			q := pv.Spec.Capacity["storage"]
			row := []string{pv.Name, q.String(), accessModes(pv.Spec.AccessModes), pv.Spec.PersistentVolumeReclaimPolicy, phase, claim,
				pv.Spec.StorageClassName, "<unset>", pv.Status.Reason, age(pv.CreationTimestamp, now)}
			if wide {
				row = append(row, api.Deref(pv.Spec.VolumeMode, "Filesystem"))
			}
			return row
		},
	})
	RegisterPrinter(&TablePrinter{
		Kind:    "StorageClass",
		Headers: []string{"NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION", "AGE"},
		Row: func(o api.Object, now api.Time, wide bool) []string {
			sc := o.(*api.StorageClass)
			name := sc.Name
			if sc.Annotations[api.DefaultStorageClassAnnotation] == "true" {
				name += " (default)"
			}
			return []string{name, sc.Provisioner, api.Deref(sc.ReclaimPolicy, "Delete"), api.Deref(sc.VolumeBindingMode, api.VolumeBindingImmediate),
				strconv.FormatBool(api.Deref(sc.AllowVolumeExpansion, false)), age(sc.CreationTimestamp, now)}
		},
	})
}

// servicePorts is makePortString: "80/TCP", "80:30080/TCP", comma-joined; "<none>" if empty.
func servicePorts(s *api.Service) string {
	var parts []string
	for _, p := range s.Spec.Ports {
		if p.NodePort > 0 {
			parts = append(parts, fmt.Sprintf("%d:%d/%s", p.Port, p.NodePort, p.Protocol))
		} else {
			parts = append(parts, fmt.Sprintf("%d/%s", p.Port, p.Protocol))
		}
	}
	if len(parts) == 0 {
		return "<none>"
	}
	return strings.Join(parts, ",")
}

// slicePorts is formatDiscoveryPorts: the port numbers, "<unset>" for a port without one.
func slicePorts(ports []api.EndpointPort) string {
	if len(ports) == 0 {
		return "<unset>"
	}
	var parts []string
	for _, p := range ports {
		if p.Port == nil {
			parts = append(parts, "<unset>")
		} else {
			parts = append(parts, strconv.Itoa(int(*p.Port)))
		}
	}
	return strings.Join(parts, ",")
}

// sliceEndpoints is formatDiscoveryEndpoints: up to three addresses, then "+ N more...".
func sliceEndpoints(eps []api.Endpoint) string {
	var all []string
	for _, e := range eps {
		all = append(all, e.Addresses...)
	}
	if len(all) == 0 {
		return "<none>"
	}
	if len(all) > 3 {
		return strings.Join(all[:3], ",") + fmt.Sprintf(" + %d more...", len(all)-3)
	}
	return strings.Join(all, ",")
}

// accessModes is GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order.
func accessModes(modes []string) string {
	short := map[string]string{"ReadWriteOnce": "RWO", "ReadOnlyMany": "ROX", "ReadWriteMany": "RWX", "ReadWriteOncePod": "RWOP"}
	order := map[string]int{"ReadWriteOnce": 0, "ReadOnlyMany": 1, "ReadWriteMany": 2, "ReadWriteOncePod": 3}
	ms := append([]string(nil), modes...)
	sort.SliceStable(ms, func(i, j int) bool { return order[ms[i]] < order[ms[j]] })
	var out []string
	seen := map[string]bool{}
	for _, m := range ms {
		if s, ok := short[m]; ok && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return strings.Join(out, ",")
}
