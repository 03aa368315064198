package slack_test

import (
	"fmt"
	"testing"
)

// BenchmarkSocketModeRegistrations measures registrations made by direct
// messages end to end: the fake Slack delivers the event over the
// WebSocket, the adapter acknowledges it, the engine registers the letter
// (Badger, without sync: the adapter's cost, not the disk's), the card is
// rendered and posted over HTTP, the event is marked answered. Each message
// comes from another person, so no channel is paced.
//
//	go test ./bot/slack -run '^$' -bench SocketMode -benchtime 2000x -count 3
func BenchmarkSocketModeRegistrations(b *testing.B) {
	w := newWorld(b, "socket").start()
	w.fake.EchoBotMessages = false
	b.ResetTimer()
	for i := range b.N {
		w.fake.Deliver(w.fake.NewDM(fmt.Sprintf("U%06d", i), fmt.Sprintf(`inregistreaza de="Cetățean %d" subiect="Cerere %d"`, i, i), ""))
	}
	w.fake.WaitMessages(b.N)
	b.StopTimer()
	w.ad.Wait()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "registrations/s")
}
