package telegram_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/cluj-napoca/cabinetbot/bot/telegram/tgfake"
)

// BenchmarkUpdatesEndToEnd measures updates handled per second through the
// real go-telegram/bot client and the fake Bot API: getUpdates (each batch
// confirmed only once handled), the engine on a synced Badger, the reply
// posted, the update marked replied and the offset stored. Pacing is off:
// the figure is the bot's own cost, not Telegram's limits. 20 people write
// at once.
//
//	go test ./bot/telegram -run '^$' -bench EndToEnd -benchtime 2000x -count 3
func BenchmarkUpdatesEndToEnd(b *testing.B) {
	e := newEnvSync(b, true).standard()
	e.cfg.ChatInterval = -1
	var users []models.User
	for i := 0; i < 20; i++ {
		u := models.User{ID: int64(5000 + i), FirstName: fmt.Sprint("U", i)}
		e.must(fmt.Sprintf("rol telegram:%d vizualizare", u.ID))
		users = append(users, u)
	}
	e.start()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		u := users[i%len(users)]
		e.fake.PushText(tgfake.Private(u), u, "/restante", 0)
	}
	e.settle()
	b.StopTimer()
	if n := len(e.fake.Sent()); n != b.N {
		b.Fatalf("%d answers for %d updates", n, b.N)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "updates/s")
}

// BenchmarkRepliesWhileOneChatIsThrottled measures the reply latency of 49
// chats that send a command at the same moment while a 50th chat is
// throttled: Telegram answers every message to it 429 (retry_after 1). One
// iteration is one round of 50 commands; the latency of a reply runs from
// the update being queued at the fake Bot API to the reply reaching it, on a
// synced Badger, through the real client. Pacing is off (each chat gets one
// message a round); the throttled chat's 429s are real waits. The "none"
// case is the same round with no chat throttled, for comparison.
//
//	go test ./bot/telegram -run '^$' -bench Throttled -benchtime 20x -count 3
func BenchmarkRepliesWhileOneChatIsThrottled(b *testing.B) {
	b.Run("throttled", func(b *testing.B) { benchRound(b, true) })
	b.Run("none", func(b *testing.B) { benchRound(b, false) })
}

func benchRound(b *testing.B, throttle bool) {
	e := newEnvSync(b, true).standard()
	e.cfg.ChatInterval = -1
	e.cfg.Wait = nil // the 429's retry_after is slept
	e.cfg.MaxRetries = 2
	e.cfg.ReplyRetry = 3 * time.Second
	var users []models.User
	for i := 0; i < 50; i++ {
		u := models.User{ID: int64(6000 + i), FirstName: fmt.Sprint("U", i)}
		e.must(fmt.Sprintf("rol telegram:%d vizualizare", u.ID))
		users = append(users, u)
	}
	throttled := users[0].ID
	if throttle {
		e.fake.Fail("sendMessage", throttled, 429, "Too Many Requests: retry after 1", 1, 1<<30)
	}
	var mu sync.Mutex
	sent := map[int64]time.Time{}
	var lat []time.Duration
	e.fake.OnSend(func(m tgfake.Message) error {
		mu.Lock()
		defer mu.Unlock()
		if at, ok := sent[m.Chat]; ok {
			lat = append(lat, time.Since(at))
			delete(sent, m.Chat)
		}
		return nil
	})
	e.start()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		mu.Lock()
		for _, u := range users[1:] {
			sent[u.ID] = time.Now()
			e.fake.PushText(tgfake.Private(u), u, "/restante", 0)
		}
		mu.Unlock()
		e.fake.PushText(tgfake.Private(users[0]), users[0], "/restante", 0)
		e.fake.WaitFor(b, "the round's replies", func() bool {
			mu.Lock()
			defer mu.Unlock()
			return len(sent) == 0
		})
	}
	b.StopTimer()
	e.fake.ClearFaults()
	slices.Sort(lat)
	if len(lat) != b.N*49 {
		b.Fatalf("%d latencies for %d replies", len(lat), b.N*49)
	}
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	if throttle {
		b.ReportMetric(float64(e.fake.CallsTo("sendMessage", throttled)), "429s")
	}
}
