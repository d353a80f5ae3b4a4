#include "ProductLess.hpp"

#include <algorithm>

namespace stream::plugins::gecode_alloc {

namespace {

using Gecode::ExecStatus;
using Gecode::Int::IntView;

class ProductLess : public Gecode::BinaryPropagator<IntView, Gecode::Int::PC_INT_BND> {
    using Base = Gecode::BinaryPropagator<IntView, Gecode::Int::PC_INT_BND>;

public:
    static ExecStatus post(Gecode::Home home, IntView x, IntView y, long long bound) {
        if (bound <= 0) return Gecode::ES_FAILED;
        (void)new (home) ProductLess(home, x, y, bound);
        return Gecode::ES_OK;
    }

    Gecode::Propagator* copy(Gecode::Space& home) override { return new (home) ProductLess(home, *this); }

    ExecStatus propagate(Gecode::Space& home, const Gecode::ModEventDelta&) override {
        const long long limit = bound_ - 1; // x * y <= limit
        // Each bound uses only the other variable's minimum, which lowering a
        // maximum never changes: one pass reaches the fixpoint.
        if (x0.min() > 0) GECODE_ME_CHECK(x1.lq(home, clamp(limit / x0.min())));
        if (x1.min() > 0) GECODE_ME_CHECK(x0.lq(home, clamp(limit / x1.min())));
        if (static_cast<long long>(x0.max()) * x1.max() <= limit) return home.ES_SUBSUMED(*this);
        return Gecode::ES_FIX;
    }

private:
    ProductLess(Gecode::Home home, IntView x, IntView y, long long bound) : Base(home, x, y), bound_(bound) {}
    ProductLess(Gecode::Space& home, ProductLess& p) : Base(home, p), bound_(p.bound_) {}

    static int clamp(long long v) { return static_cast<int>(std::min<long long>(v, Gecode::Int::Limits::max)); }

    long long bound_;
};

} // namespace

void product_less(Gecode::Home home, Gecode::IntVar x, Gecode::IntVar y, long long bound) {
    GECODE_POST;
    GECODE_ES_FAIL(ProductLess::post(home, IntView(x), IntView(y), bound));
}

} // namespace stream::plugins::gecode_alloc
