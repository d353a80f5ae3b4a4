// The equation and dimension-relation parsers on small strings.
#include "DimensionRelations.hpp"
#include "EquationParser.hpp"
#include "ParseError.hpp"

#include <doctest/doctest.h>

using namespace stream::yaml_frontend;

TEST_CASE("equation: convolution, output first, inputs in the order written, indices upper-cased") {
    const Equation eq = parse_equation("O[b][k][oy][ox]+=W[k][c][fy][fx]*I[b][c][iy][ix]");
    CHECK(eq.accumulates);
    CHECK(eq.combiner == '*');
    CHECK(eq.output.name == "O");
    CHECK(eq.output.indices == std::vector<std::string>{"B", "K", "OY", "OX"});
    REQUIRE(eq.inputs.size() == 2);
    CHECK(eq.inputs[0].name == "W");
    CHECK(eq.inputs[0].indices == std::vector<std::string>{"K", "C", "FY", "FX"});
    CHECK(eq.inputs[1].name == "I");
    CHECK(eq.inputs[1].indices == std::vector<std::string>{"B", "C", "IY", "IX"});
    CHECK(eq.operands().size() == 3);
}

TEST_CASE("equation: element-wise sum with plain assignment and spaces between tokens") {
    const Equation eq = parse_equation(" O[b][g] = W[b][g] + I[b][g] ");
    CHECK_FALSE(eq.accumulates);
    CHECK(eq.combiner == '+');
    REQUIRE(eq.inputs.size() == 2);
    CHECK(eq.inputs[0].name == "W");
    CHECK(eq.inputs[1].indices == std::vector<std::string>{"B", "G"});
}

TEST_CASE("equation: a single input and multi-letter names") {
    const Equation eq = parse_equation("O[d0][d1]=In[d0][d1]");
    REQUIRE(eq.inputs.size() == 1);
    CHECK(eq.inputs[0].name == "In");
    CHECK(eq.output.indices == std::vector<std::string>{"D0", "D1"});
}

TEST_CASE("equation: garbage is rejected with a message") {
    CHECK_THROWS_AS(parse_equation(""), ParseError);
    CHECK_THROWS_AS(parse_equation("hello"), ParseError);                 // no '[' after the name
    CHECK_THROWS_AS(parse_equation("O[k]"), ParseError);                  // no '='
    CHECK_THROWS_AS(parse_equation("O[k]+=W[k"), ParseError);             // unclosed bracket
    CHECK_THROWS_AS(parse_equation("O[k]+=W[k]*"), ParseError);           // no operand after '*'
    CHECK_THROWS_AS(parse_equation("O[k]+=W[k]-I[k]"), ParseError);       // '-' is no combiner
    CHECK_THROWS_AS(parse_equation("O[k]=A[k]*B[k]+C[k]"), ParseError);   // mixed combiners
    CHECK_THROWS_AS(parse_equation("O[k]+=W[k]*W[k]"), ParseError);       // an operand twice
    CHECK_THROWS_AS(parse_equation("O[]+=W[k]*I[k]"), ParseError);        // empty index
    try {
        parse_equation("O[k]+=W[k]?I[k]");
        FAIL("expected a ParseError");
    } catch (const ParseError& e) {
        // 'O[k]+=W[k]' is 10 characters, so the '?' is the 11th.
        CHECK(std::string(e.what()).find("character 11") != std::string::npos);
    }
}

TEST_CASE("relation: stride and dilation coefficients, upper-cased names") {
    const DimensionRelation r = parse_relation("ix=2*ox+1*fx");
    CHECK(r.target == "IX");
    REQUIRE(r.terms.size() == 2);
    CHECK(r.terms[0].dim == "OX");
    CHECK(r.terms[0].coefficient == 2);
    CHECK(r.terms[1].dim == "FX");
    CHECK(r.terms[1].coefficient == 1);
}

TEST_CASE("relation: coefficients default to 1 and spaces are allowed") {
    const DimensionRelation r = parse_relation(" iy = oy + 3 * fy ");
    CHECK(r.target == "IY");
    REQUIRE(r.terms.size() == 2);
    CHECK(r.terms[0].coefficient == 1);
    CHECK(r.terms[1].dim == "FY");
    CHECK(r.terms[1].coefficient == 3);
}

TEST_CASE("relation: bad syntax is rejected") {
    CHECK_THROWS_AS(parse_relation("ix"), ParseError);
    CHECK_THROWS_AS(parse_relation("ix=2ox+fx"), ParseError);     // no '*' after the coefficient
    CHECK_THROWS_AS(parse_relation("ix=0*ox+fx"), ParseError);    // coefficient below 1
    CHECK_THROWS_AS(parse_relation("ix=s*ox+fx"), ParseError);    // coefficient not a number
    CHECK_THROWS_AS(parse_relation("ix=ox+ox"), ParseError);      // a dim twice
    CHECK_THROWS_AS(parse_relation("ix=ox+fx-1"), ParseError);    // trailing text
    CHECK_THROWS_AS(parse_relation("2=ox+fx"), ParseError);       // target is a number
    CHECK_THROWS_AS(parse_relation("ix=99999999999*ox+fx"), ParseError); // coefficient above 2^31
}

TEST_CASE("relation: span of the index over the loop sizes") {
    // ix = 2*ox + 1*fx with OX = 112, FX = 7: (112-1)*2 + (7-1)*1 + 1 = 222 + 6 + 1 = 229.
    CHECK(relation_span(parse_relation("ix=2*ox+1*fx"), {112, 7}) == 229);
    // ix = ox + fx with OX = 56, FX = 3: 55 + 2 + 1 = 58 (zigzag.md §1.2).
    CHECK(relation_span(parse_relation("ix=ox+fx"), {56, 3}) == 58);
    // ix = 1*ox + 2*fx (dilation 2) with OX = 6, FX = 2: 5 + 2 + 1 = 8.
    CHECK(relation_span(parse_relation("ix=1*ox+2*fx"), {6, 2}) == 8);
    CHECK_THROWS_AS(relation_span(parse_relation("ix=2147483648*ox+fx"), {std::int64_t{1} << 40, 1}), ParseError);
}
