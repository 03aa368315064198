package telegram_test

import (
	"fmt"
	"testing"

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
