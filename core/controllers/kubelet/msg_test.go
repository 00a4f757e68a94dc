package kubelet

import (
	"fmt"
	"testing"

	"github.com/kubesim/kubesim/core/api"
)

func TestEventMessagesMatchFmt(t *testing.T) {
	images := []string{"", "web:1", "registry.example.com:5000/team/app@sha256:abc", `q"uo\te`, "ünï\tcode\x00", string([]byte{0xff, 'x'})}
	durations := []api.Duration{0, 1, 999, api.Second, 2 * api.Second, 1500, 61 * api.Second, 3723500, -2500}
	for _, img := range images {
		if got, want := quoted("Pulling image ", img, ""), fmt.Sprintf("Pulling image %q", img); got != want {
			t.Errorf("quoted = %q; want %q", got, want)
		}
		if got, want := quoted("Container image ", img, " already present on machine"), fmt.Sprintf("Container image %q already present on machine", img); got != want {
			t.Errorf("quoted = %q; want %q", got, want)
		}
		for _, d := range durations {
			for _, size := range []int64{0, 7, api.DefaultImageSize, -1, 1 << 62} {
				want := fmt.Sprintf("Successfully pulled image %q in %s (%s including waiting). Image size: %d bytes.", img, d, d, size)
				if got := pulledMessage(img, d, size); got != want {
					t.Errorf("pulledMessage = %q; want %q", got, want)
				}
			}
		}
	}
}
