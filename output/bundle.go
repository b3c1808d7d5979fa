package output

import (
	"io"
	"path/filepath"
)

// Bundle writes a command's files into one folder, each atomically, and
// keeps the list of what it wrote, in order.
type Bundle struct {
	Dir     string
	Formats []string     // chart file formats: png, svg, pdf
	Chart   ChartOptions // size, resolution, date and history of charts
	wrote   []string
}

// File writes DIR/NAME with write.
func (b *Bundle) File(name string, write func(io.Writer) error) error {
	p := filepath.Join(b.Dir, name)
	if err := WriteFile(p, write); err != nil {
		return err
	}
	b.wrote = append(b.wrote, p)
	return nil
}

// Data writes DIR/NAME holding data.
func (b *Bundle) Data(name string, data []byte) error {
	return b.File(name, func(w io.Writer) error { _, err := w.Write(data); return err })
}

// Charts writes each chart as DIR/PREFIX+CHART.FORMAT in every format.
func (b *Bundle) Charts(prefix string, charts []*Chart) error {
	w, h, dpi := b.Chart.Size()
	for _, c := range charts {
		files, err := c.Save(b.Dir, prefix, b.Formats, w, h, dpi)
		b.wrote = append(b.wrote, files...)
		if err != nil {
			return err
		}
	}
	return nil
}

// Add records files written by other means.
func (b *Bundle) Add(files ...string) { b.wrote = append(b.wrote, files...) }

// Wrote lists the files written.
func (b *Bundle) Wrote() []string { return b.wrote }
