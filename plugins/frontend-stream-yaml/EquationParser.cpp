#include "EquationParser.hpp"

#include "ParseError.hpp"

#include <cctype>

namespace stream::yaml_frontend {

std::string upper(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::vector<const EquationOperand*> Equation::operands() const {
    std::vector<const EquationOperand*> all{&output};
    for (const EquationOperand& in : inputs) all.push_back(&in);
    return all;
}

namespace {

bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

/// A cursor over the equation text that skips whitespace between tokens.
class Scanner {
public:
    explicit Scanner(std::string_view text) : text_(text) {}

    bool at_end() {
        skip_space();
        return pos_ >= text_.size();
    }
    char peek() {
        skip_space();
        return pos_ < text_.size() ? text_[pos_] : '\0';
    }
    bool accept(std::string_view token) {
        skip_space();
        if (text_.substr(pos_, token.size()) != token) return false;
        pos_ += token.size();
        return true;
    }
    void expect(std::string_view token, const char* what) {
        if (!accept(token)) fail(std::string("expected ") + what);
    }
    std::string word(const char* what) {
        skip_space();
        const std::size_t start = pos_;
        while (pos_ < text_.size() && is_word(text_[pos_])) ++pos_;
        if (pos_ == start) fail(std::string("expected ") + what);
        return std::string(text_.substr(start, pos_ - start));
    }
    [[noreturn]] void fail(const std::string& what) {
        skip_space();
        const std::string rest = pos_ < text_.size() ? "'" + std::string(text_.substr(pos_, 12)) + "'" : "the end";
        throw ParseError("bad equation '" + std::string(text_) + "': " + what + " at character " + std::to_string(pos_ + 1) +
                         " (found " + rest + ")");
    }

private:
    void skip_space() {
        while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    }
    std::string_view text_;
    std::size_t pos_ = 0;
};

EquationOperand parse_operand(Scanner& s) {
    EquationOperand op;
    op.name = s.word("an operand name");
    if (s.peek() != '[') s.fail("'[' after operand " + op.name);
    while (s.accept("[")) {
        op.indices.push_back(upper(s.word("an index name")));
        s.expect("]", "']'");
    }
    return op;
}

} // namespace

Equation parse_equation(std::string_view text) {
    Scanner s(text);
    if (s.at_end()) throw ParseError("empty equation");
    Equation eq;
    eq.output = parse_operand(s);
    if (s.accept("+=")) eq.accumulates = true;
    else s.expect("=", "'=' or '+='");
    eq.inputs.push_back(parse_operand(s));
    while (!s.at_end()) {
        const char c = s.peek();
        if (c != '*' && c != '+') s.fail("'*' or '+' between inputs");
        if (eq.inputs.size() > 1 && c != eq.combiner) s.fail("the same operator between all inputs");
        s.accept(std::string_view(&c, 1));
        eq.combiner = c;
        eq.inputs.push_back(parse_operand(s));
    }
    for (const EquationOperand* a : eq.operands())
        for (const EquationOperand* b : eq.operands())
            if (a != b && a->name == b->name) throw ParseError("bad equation '" + std::string(text) + "': operand " + a->name + " appears twice");
    return eq;
}

} // namespace stream::yaml_frontend
