package sim

import "testing"

// TestMetricIndices checks that the metric index constants in run.go name
// the metrics of the Metrics slice in the same order. Every constant is
// listed: a metric inserted, removed or moved in one place but not the other
// makes Run write into the wrong series.
func TestMetricIndices(t *testing.T) {
	if len(Metrics) != numMetrics {
		t.Fatalf("len(Metrics) = %d, numMetrics = %d", len(Metrics), numMetrics)
	}
	want := []struct {
		idx  int
		name string
	}{
		{mSSRUnits, "ai.ssr_units"},
		{mSSRCompute, "ai.ssr_compute"},
		{mSSRStock, "ai.ssr_stock"},
		{mCoverage, "ai.coverage"},
		{mICSSRValue, "ic.ssr_value"},
		{mICSSRLocated, "ic.ssr_located"},
		{mDemand, "ai.demand_h100e"},
		{mDelivered, "ai.delivered_h100e"},
		{mUnmet, "ai.unmet_h100e"},
		{mWanted, "ai.wanted_h100e"},
		{mBacklog, "ai.backlog_h100e"},
		{mLost, "ai.lost_h100e"},
		{mH100eDom, "ai.h100e_domestic"},
		{mH100eImport, "ai.h100e_import"},
		{mH100eGrey, "ai.h100e_grey"},
		{mUnits, "ai.units_delivered"},
		{mUnitsDom, "ai.units_domestic"},
		{mUnitsImport, "ai.units_import"},
		{mUnitsGrey, "ai.units_grey"},
		{mCloud, "ai.cloud_access_h100e"},
		{mInstalled, "ai.installed_h100e"},
		{mProdUnits, "product.units"},
		{mProdH100e, "product.h100e"},
		{mProdOutput, "product.output"},
		{mLimitPlan, "product.limit_plan"},
		{mLimitDies, "product.limit_dies"},
		{mLimitHBM, "product.limit_hbm"},
		{mLimitPack, "product.limit_packaging"},
		{mLimitDemand, "product.limit_demand"},
		{mBinding, "product.binding"},
		{mHeadroom, "product.headroom"},
		{mInventory, "product.inventory"},
		{mBankDies, "product.die_bank_dies"},
		{mOffshoreDies, "product.offshore_dies"},
		{mImportsLegal, "product.imports_legal"},
		{mSmuggled, "product.smuggled"},
		{mAffiliate, "product.affiliate"},
		{mWafers, "foundry.wafers"},
		{mDefects, "foundry.defect_density"},
		{mYield, "foundry.yield"},
		{mGoodDies, "foundry.good_dies"},
		{mAICapacity, "foundry.ai_capacity_wafers"},
		{mAIUtil, "foundry.ai_utilization"},
		{mHBMAvail, "hbm.available"},
		{mHBMUsed, "hbm.used"},
		{mHBMStock, "hbm.stock"},
		{mHBMDomestic, "hbm.domestic_stacks"},
		{mBankLeft, "die_bank.left"},
		{mSpend, "money.import_spend_musd"},
		{mFee, "money.us_fee_musd"},
		{mRevenue, "money.foreign_revenue_musd"},
		{mVendorRevenue, "money.vendor_revenue_musd"},
		{mICCons, "ic.consumption_usd_bn"},
		{mICDom, "ic.domestic_usd_bn"},
		{mICLocated, "ic.located_usd_bn"},
		{mSegCons, "sector.consumption_usd_bn"},
		{mSegDom, "sector.domestic_usd_bn"},
	}
	if len(want) != numMetrics {
		t.Errorf("test lists %d constants, numMetrics = %d: update the list", len(want), numMetrics)
	}
	seen := map[int]bool{}
	for _, w := range want {
		if seen[w.idx] {
			t.Errorf("index %d listed twice", w.idx)
		}
		seen[w.idx] = true
		if w.idx < 0 || w.idx >= len(Metrics) {
			t.Errorf("constant for %s = %d, outside Metrics (len %d)", w.name, w.idx, len(Metrics))
			continue
		}
		if got := Metrics[w.idx].Name; got != w.name {
			t.Errorf("Metrics[%d].Name = %q, want %q", w.idx, got, w.name)
		}
	}
}

// The entity layout that Run's set calls assume: per-product metrics by
// product index, per-origin metrics by origin, etc.
func TestMetricEntityKinds(t *testing.T) {
	want := map[int]string{
		mInstalled: "origin", mProdUnits: "product", mProdH100e: "product",
		mProdOutput: "domestic", mLimitPlan: "domestic", mLimitDies: "domestic", mLimitHBM: "domestic",
		mLimitPack: "domestic", mLimitDemand: "domestic", mBinding: "domestic", mHeadroom: "domestic",
		mInventory: "domestic", mBankDies: "domestic", mOffshoreDies: "domestic",
		mImportsLegal: "foreign", mSmuggled: "foreign", mAffiliate: "foreign",
		mWafers: "process", mDefects: "process", mYield: "process", mGoodDies: "process",
		mAICapacity: "process", mAIUtil: "process", mVendorRevenue: "vendor",
		mSegCons: "segment", mSegDom: "segment",
	}
	for i := range Metrics {
		if got := Metrics[i].Per; got != want[i] {
			t.Errorf("Metrics[%d] (%s).Per = %q, want %q", i, Metrics[i].Name, got, want[i])
		}
	}
}

func TestMetricDefs(t *testing.T) {
	names := map[string]bool{}
	for i := range Metrics {
		d := &Metrics[i]
		if names[d.Name] {
			t.Errorf("metric %s defined twice", d.Name)
		}
		names[d.Name] = true
		if d.Unit == "" || d.Doc == "" {
			t.Errorf("metric %s: unit %q, doc %q: both must be set", d.Name, d.Unit, d.Doc)
		}
		switch d.Per {
		case "", "product", "domestic", "foreign", "process", "segment", "origin", "vendor":
		default:
			t.Errorf("metric %s: Per = %q, not an entity kind", d.Name, d.Per)
		}
		if got, ok := MetricByName(d.Name); !ok || got != d {
			t.Errorf("MetricByName(%q) = %v, %v, want &Metrics[%d]", d.Name, got, ok, i)
		}
		if d.Agg != Ratio {
			if d.Num != "" || d.Den != "" {
				t.Errorf("metric %s is not a ratio but has Num %q, Den %q", d.Name, d.Num, d.Den)
			}
			continue
		}
		if d.Per != "" {
			t.Errorf("ratio metric %s: Per = %q, want one value per period", d.Name, d.Per)
		}
		for _, part := range []string{d.Num, d.Den} {
			p, ok := MetricByName(part)
			if !ok {
				t.Errorf("ratio metric %s: %q is not a metric", d.Name, part)
				continue
			}
			if p.Agg != Sum {
				t.Errorf("ratio metric %s: %s has Agg %v, want Sum", d.Name, part, p.Agg)
			}
			if p.Per != "" {
				t.Errorf("ratio metric %s: %s has Per %q, want one value per period", d.Name, part, p.Per)
			}
		}
	}
	if _, ok := MetricByName("no.such_metric"); ok {
		t.Error(`MetricByName("no.such_metric") found a metric`)
	}
	if len(BindingNames) != BindDemand+1 {
		t.Errorf("len(BindingNames) = %d, want %d", len(BindingNames), BindDemand+1)
	}
}
