// The Gecode find module (cmake/FindGecode.cmake) gives targets that compile and link a
// model: a tiny allocation, 3 layers on 2 cores, minimising the busiest core's load.
#include <gecode/int.hh>
#include <gecode/minimodel.hh>
#include <gecode/search.hh>

#include <doctest/doctest.h>

namespace {

class TinyAllocation : public Gecode::IntMinimizeSpace {
public:
    // Layer latencies 4, 3, 2 cycles; core[i] in {0, 1}; load of a core = sum of its layers.
    TinyAllocation() : core_(*this, 3, 0, 1), load_(*this, 2, 0, 9), makespan_(*this, 0, 9) {
        const int latency[] = {4, 3, 2};
        for (int c = 0; c < 2; ++c) {
            Gecode::LinIntExpr sum = 0;
            for (int l = 0; l < 3; ++l) sum = sum + latency[l] * Gecode::expr(*this, core_[l] == c);
            Gecode::rel(*this, load_[c] == sum);
            Gecode::rel(*this, makespan_ >= load_[c]);
        }
        Gecode::branch(*this, core_, Gecode::INT_VAR_NONE(), Gecode::INT_VAL_MIN());
        Gecode::branch(*this, makespan_, Gecode::INT_VAL_MIN()); // ">=" leaves it open until fixed
    }
    TinyAllocation(TinyAllocation& s) : Gecode::IntMinimizeSpace(s) {
        core_.update(*this, s.core_);
        load_.update(*this, s.load_);
        makespan_.update(*this, s.makespan_);
    }
    Gecode::Space* copy() override { return new TinyAllocation(*this); }
    Gecode::IntVar cost() const override { return makespan_; }
    int makespan() const { return makespan_.val(); }

private:
    Gecode::IntVarArray core_;
    Gecode::IntVarArray load_;
    Gecode::IntVar makespan_;
};

} // namespace

TEST_CASE("Gecode links through the find module and proves a tiny optimum") {
    TinyAllocation root;
    Gecode::BAB<TinyAllocation> search(&root);
    int best = -1;
    while (TinyAllocation* s = search.next()) {
        best = s->makespan();
        delete s;
    }
    // Loads {4} and {3, 2}: the busiest core takes 5 cycles; no split does better (4+3 > 5, 4+2 > 5).
    CHECK(best == 5);
}
