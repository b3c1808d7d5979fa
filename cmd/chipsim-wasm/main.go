//go:build js && wasm

// Command chipsim-wasm is the engine of the explorer page (chipsim
// explore), compiled to WebAssembly: it exposes the page engine
// (output/explore/engine) to JavaScript as globalThis.chipsim, whose
// functions take and return JSON text. Build it with go generate in
// output/explore.
package main

import (
	"context"
	"encoding/json"
	"syscall/js"

	"github.com/chipsim/chipsim/output/explore/engine"
)

func main() {
	var e *engine.Engine
	reply := func(v any, err error) any {
		if err != nil {
			b, _ := json.Marshal(map[string]string{"error": err.Error()})
			return string(b)
		}
		b, err := json.Marshal(v)
		if err != nil {
			b, _ = json.Marshal(map[string]string{"error": err.Error()})
		}
		return string(b)
	}
	api := map[string]any{
		// init(sources JSON) loads the page's scenarios.
		"init": js.FuncOf(func(_ js.Value, args []js.Value) any {
			var srcs []engine.Source
			if err := json.Unmarshal([]byte(args[0].String()), &srcs); err != nil {
				return reply(nil, err)
			}
			var err error
			e, err = engine.New(srcs)
			if err != nil {
				return reply(nil, err)
			}
			return reply(e.Names(), nil)
		}),
		// describe(name) returns a scenario's controls.
		"describe": js.FuncOf(func(_ js.Value, args []js.Value) any {
			return reply(e.Describe(args[0].String()))
		}),
		// run(state JSON) runs the scenario with the page's controls.
		"run": js.FuncOf(func(_ js.Value, args []js.Value) any {
			var st engine.State
			if err := json.Unmarshal([]byte(args[0].String()), &st); err != nil {
				return reply(nil, err)
			}
			return reply(e.Run(st))
		}),
		// csv(state JSON) returns the run as chipsim's tidy CSV, in JSON.
		"csv": js.FuncOf(func(_ js.Value, args []js.Value) any {
			var st engine.State
			if err := json.Unmarshal([]byte(args[0].String()), &st); err != nil {
				return reply(nil, err)
			}
			return reply(e.CSV(st))
		}),
		// mc(state JSON, runs, seed, progress(done, total)) draws bands.
		"mc": js.FuncOf(func(_ js.Value, args []js.Value) any {
			var st engine.State
			if err := json.Unmarshal([]byte(args[0].String()), &st); err != nil {
				return reply(nil, err)
			}
			progress := args[3]
			return reply(e.MonteCarlo(context.Background(), st, args[1].Int(), uint64(args[2].Int()), func(done, total int) {
				progress.Invoke(done, total)
			}))
		}),
	}
	js.Global().Set("chipsim", js.ValueOf(api))
	select {} // serve calls until the page goes
}
