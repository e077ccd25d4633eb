package store

import (
	"database/sql/driver"
	"io"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// bufferedRows are a batch member's rows, read in full before the members
// after it (the COMMIT) are: the rows of a statement that carries the
// COMMIT reach the caller only once it succeeded. Their values are what
// pgx's database/sql driver gives for each type (stdlib's Rows.Next), so
// database/sql converts them for Scan exactly as for any other statement.
type bufferedRows struct {
	cols []string
	rows [][]driver.Value
}

func (r *bufferedRows) Columns() []string { return r.cols }
func (r *bufferedRows) Close() error      { return nil }

func (r *bufferedRows) Next(dest []driver.Value) error {
	if len(r.rows) == 0 {
		return io.EOF
	}
	copy(dest, r.rows[0])
	r.rows = r.rows[1:]
	return nil
}

// bufferRows reads the next result of br.
func bufferRows(m *pgtype.Map, br pgx.BatchResults) (*bufferedRows, error) {
	rows, err := br.Query()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	fields := rows.FieldDescriptions()
	out := &bufferedRows{cols: make([]string, len(fields))}
	conv := make([]func([]byte) (driver.Value, error), len(fields))
	for i, fd := range fields {
		out.cols[i] = fd.Name
		conv[i] = valueFunc(m, fd.DataTypeOID, fd.Format)
	}
	for rows.Next() {
		raw := rows.RawValues()
		row := make([]driver.Value, len(raw))
		for i, v := range raw {
			if v == nil {
				continue
			}
			if row[i], err = conv[i](v); err != nil {
				return nil, err
			}
		}
		out.rows = append(out.rows, row)
	}
	return out, rows.Err()
}

// valueFunc decodes one column to the driver.Value pgx's database/sql
// driver gives for its type: integers as int64, floats as float64,
// booleans, bytes for bytea and JSON, times for timestamps and dates, and
// text for the rest.
func valueFunc(m *pgtype.Map, oid uint32, format int16) func([]byte) (driver.Value, error) {
	switch oid {
	case pgtype.Int2OID, pgtype.Int4OID, pgtype.Int8OID:
		return scanAs[int64](m, oid, format, func(d int64) driver.Value { return d })
	case pgtype.Float4OID, pgtype.Float8OID:
		return scanAs[float64](m, oid, format, func(d float64) driver.Value { return d })
	case pgtype.BoolOID:
		return scanAs[bool](m, oid, format, func(d bool) driver.Value { return d })
	case pgtype.ByteaOID, pgtype.JSONOID, pgtype.JSONBOID, pgtype.XMLOID:
		return scanAs[[]byte](m, oid, format, func(d []byte) driver.Value { return append([]byte(nil), d...) })
	case pgtype.DateOID:
		return scanValuer[pgtype.Date](m, oid, format)
	case pgtype.TimestampOID:
		return scanValuer[pgtype.Timestamp](m, oid, format)
	case pgtype.TimestamptzOID:
		return scanValuer[pgtype.Timestamptz](m, oid, format)
	default:
		return scanAs[string](m, oid, format, func(d string) driver.Value { return d })
	}
}

func scanAs[T any](m *pgtype.Map, oid uint32, format int16, val func(T) driver.Value) func([]byte) (driver.Value, error) {
	var d T
	plan := m.PlanScan(oid, format, &d)
	return func(src []byte) (driver.Value, error) {
		if err := plan.Scan(src, &d); err != nil {
			return nil, err
		}
		return val(d), nil
	}
}

func scanValuer[T any, P interface {
	*T
	driver.Valuer
}](m *pgtype.Map, oid uint32, format int16) func([]byte) (driver.Value, error) {
	var d T
	plan := m.PlanScan(oid, format, P(&d))
	return func(src []byte) (driver.Value, error) {
		if err := plan.Scan(src, P(&d)); err != nil {
			return nil, err
		}
		return P(&d).Value()
	}
}
