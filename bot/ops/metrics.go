package ops

import (
	"sort"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Namespace prefixes every metric of the bot.
const Namespace = "cabinetbot"

// CommandMetrics counts the commands run, by name and result, and times them.
type CommandMetrics struct {
	total    *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// NewCommandMetrics registers the command metrics on reg.
func NewCommandMetrics(reg prometheus.Registerer) *CommandMetrics {
	m := &CommandMetrics{
		total: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace, Name: "commands_total",
			Help: "Commands run, by command (its Romanian name) and result (ok, invalid, denied, failed)."},
			[]string{"command", "result"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: Namespace, Name: "command_duration_seconds",
			Help:    "Time to run a command, from parsing to the reply, by command.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}},
			[]string{"command"}),
	}
	reg.MustRegister(m.total, m.duration)
	return m
}

// Observe records one command's result and duration.
func (m *CommandMetrics) Observe(command, result string, took time.Duration) {
	m.total.WithLabelValues(command, result).Inc()
	m.duration.WithLabelValues(command).Observe(took.Seconds())
}

// Family is a set of gauges (or counters) of one name, one label, whose
// values are read when Prometheus scrapes: open items by department,
// registrations by category…
type Family struct {
	Name, Help, Label string
	// Counter makes it a counter instead of a gauge.
	Counter bool
	// Read returns the value of each label value; an error leaves the
	// family out of that scrape (and is reported on the scrape).
	Read func() (map[string]float64, error)
}

// familyCollector turns Families into a prometheus.Collector.
type familyCollector struct {
	fams  []Family
	descs []*prometheus.Desc
}

// AddFamilies registers families read at every scrape. A family whose name
// is taken already is an error (nothing of that call is registered).
func (s *Server) AddFamilies(fams ...Family) error {
	c := &familyCollector{fams: fams}
	for _, f := range fams {
		var labels []string
		if f.Label != "" {
			labels = []string{f.Label}
		}
		c.descs = append(c.descs, prometheus.NewDesc(prometheus.BuildFQName(Namespace, "", f.Name), f.Help, labels, nil))
	}
	return s.reg.Register(c)
}

func (c *familyCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range c.descs {
		ch <- d
	}
}

func (c *familyCollector) Collect(ch chan<- prometheus.Metric) {
	for i, f := range c.fams {
		values, err := f.Read()
		if err != nil {
			ch <- prometheus.NewInvalidMetric(c.descs[i], err)
			continue
		}
		kind := prometheus.GaugeValue
		if f.Counter {
			kind = prometheus.CounterValue
		}
		keys := make([]string, 0, len(values))
		for k := range values {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			var labels []string
			if f.Label != "" {
				labels = []string{k}
			}
			ch <- prometheus.MustNewConstMetric(c.descs[i], kind, values[k], labels...)
		}
	}
}

// Cached wraps a reader so that it runs at most once per ttl: figures that
// scan the register (a year's registrations) are not recomputed at every
// scrape.
func Cached(ttl time.Duration, now func() time.Time, read func() (map[string]float64, error)) func() (map[string]float64, error) {
	var (
		mu   sync.Mutex
		at   time.Time
		last map[string]float64
	)
	if now == nil {
		now = time.Now
	}
	return func() (map[string]float64, error) {
		mu.Lock()
		defer mu.Unlock()
		if last != nil && now().Sub(at) < ttl {
			return last, nil
		}
		v, err := read()
		if err != nil {
			return nil, err
		}
		last, at = v, now()
		return v, nil
	}
}

// One is a reader of a single unlabelled value, for a Family with no Label.
func One(read func() (float64, error)) func() (map[string]float64, error) {
	return func() (map[string]float64, error) {
		v, err := read()
		if err != nil {
			return nil, err
		}
		return map[string]float64{"": v}, nil
	}
}
