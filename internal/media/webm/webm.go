package webm

import "errors"

// Track types, as Matroska numbers them.
const (
	TrackVideo = 1
	TrackAudio = 2
)

// Track is one track of the file.
type Track struct {
	Number  uint64
	Type    uint64
	CodecID string // "A_OPUS", "A_VORBIS", "V_VP8"...
	// CodecPrivate is the codec's setup; for Opus, the OpusHead packet.
	CodecPrivate []byte
	// CodecDelay is how much of the decoded start to drop, in nanoseconds.
	CodecDelay uint64
	SampleRate float64
	Channels   uint64
}

// Frame is one frame of a track: the codec's packet and its time.
type Frame struct {
	Track uint64
	// Time is the block's time in nanoseconds (frames laced into one
	// block share it).
	Time int64
	Data []byte
	// DiscardPadding is how much of the decoded frame's end to drop, in
	// nanoseconds (set on a recording's last frame).
	DiscardPadding int64
}

// File is what was read: the document type, the tracks and, for Parse,
// every frame in file order.
type File struct {
	DocType string
	Tracks  []Track
	Frames  []Frame
	// Truncated reports that the data ended inside an element: what came
	// before it was read.
	Truncated bool
}

// Parse reads a whole file: its tracks and every frame.
func Parse(data []byte) (*File, error) { return parse(data, false) }

// ParseTracks reads the file's header up to its first cluster: the
// tracks, without frames. A head of the file is enough.
func ParseTracks(head []byte) (*File, error) { return parse(head, true) }

// AudioOnly reports whether head is the start of a WebM file whose tracks
// are all audio: a voice recording, which the generic sniffer calls video.
func AudioOnly(head []byte) bool {
	f, err := ParseTracks(head)
	if err != nil || f.DocType != "webm" || len(f.Tracks) == 0 {
		return false
	}
	for _, t := range f.Tracks {
		if t.Type != TrackAudio {
			return false
		}
	}
	return true
}

// Audio returns the first audio track, if any.
func (f *File) Audio() (Track, bool) {
	for _, t := range f.Tracks {
		if t.Type == TrackAudio {
			return t, true
		}
	}
	return Track{}, false
}

// parser walks the file flat: the Segment and each Cluster are entered
// rather than read whole, because live recorders write them with an
// unknown size; every other element is read whole or skipped.
type parser struct {
	f           File
	scale       uint64 // nanoseconds per timecode unit
	clusterTime uint64
	tracksDone  bool
}

func parse(data []byte, tracksOnly bool) (*File, error) {
	p := &parser{scale: 1_000_000}
	e, err := header(data, 0)
	if err != nil || e.id != idEBML {
		return nil, ErrNotWebM
	}
	body, err := bodyOf(data, e)
	if err != nil {
		return nil, ErrNotWebM
	}
	p.f.DocType = "matroska"
	if err := children(body, func(id uint64, d []byte) error {
		if id == idDocType {
			p.f.DocType = readString(d)
		}
		return nil
	}); err != nil {
		return nil, ErrNotWebM
	}
	if p.f.DocType != "webm" && p.f.DocType != "matroska" {
		return nil, ErrNotWebM
	}
	err = p.walk(data, e.body+len(body), tracksOnly)
	if errors.Is(err, errShort) {
		// A truncated file (or a head): keep what came before, as long as
		// the tracks were read.
		if !p.tracksDone {
			return nil, ErrMalformed
		}
		p.f.Truncated = true
		err = nil
	}
	if err != nil {
		return nil, err
	}
	if !p.tracksDone {
		return nil, ErrMalformed
	}
	return &p.f, nil
}

func (p *parser) walk(data []byte, pos int, tracksOnly bool) error {
	for pos < len(data) {
		e, err := header(data, pos)
		if err != nil {
			return err
		}
		switch e.id {
		case idSegment:
			pos = e.body // enter
			continue
		case idCluster:
			if tracksOnly && p.tracksDone {
				return nil
			}
			p.clusterTime = 0
			pos = e.body // enter: a cluster's children follow
			continue
		}
		body, err := bodyOf(data, e)
		if err != nil {
			return err
		}
		switch e.id {
		case idInfo:
			err = children(body, func(id uint64, d []byte) error {
				if id != idTimecodeScale {
					return nil
				}
				v, err := readUint(d)
				if err == nil && v == 0 {
					err = ErrMalformed
				}
				p.scale = v
				return err
			})
		case idTracks:
			err = p.tracks(body)
			p.tracksDone = err == nil
		case idTimecode:
			p.clusterTime, err = readUint(body)
		case idSimpleBlock:
			err = p.block(body, 0)
		case idBlockGroup:
			err = p.blockGroup(body)
		}
		if err != nil {
			return err
		}
		pos = e.body + len(body)
	}
	return nil
}

func (p *parser) tracks(body []byte) error {
	return children(body, func(id uint64, d []byte) error {
		if id != idTrackEntry {
			return nil
		}
		var t Track
		err := children(d, func(id uint64, v []byte) error {
			var err error
			switch id {
			case idTrackNumber:
				t.Number, err = readUint(v)
			case idTrackType:
				t.Type, err = readUint(v)
			case idCodecID:
				t.CodecID = readString(v)
			case idCodecPrivate:
				t.CodecPrivate = v
			case idCodecDelay:
				t.CodecDelay, err = readUint(v)
			case idAudio:
				err = children(v, func(id uint64, a []byte) error {
					var err error
					switch id {
					case idSampling:
						t.SampleRate, err = readFloat(a)
					case idChannels:
						t.Channels, err = readUint(a)
					}
					return err
				})
			}
			return err
		})
		if err == nil && t.Number == 0 {
			err = ErrMalformed
		}
		if err == nil {
			p.f.Tracks = append(p.f.Tracks, t)
		}
		return err
	})
}

func (p *parser) blockGroup(body []byte) error {
	var block []byte
	var padding int64
	err := children(body, func(id uint64, d []byte) error {
		switch id {
		case idBlock:
			block = d
		case idDiscardPadding:
			v, err := readUint(d)
			padding = signExtend(v, len(d))
			return err
		}
		return nil
	})
	if err != nil || block == nil {
		return ErrMalformed
	}
	return p.block(block, padding)
}

func signExtend(v uint64, n int) int64 {
	if n == 0 || n >= 8 {
		return int64(v)
	}
	shift := 64 - 8*uint(n)
	return int64(v<<shift) >> shift
}
