#include "DimensionRelations.hpp"

#include "EquationParser.hpp"
#include "ParseError.hpp"

#include <cctype>
#include <limits>

namespace stream::yaml_frontend {

namespace {

constexpr std::int64_t max_coefficient = std::int64_t{1} << 31;

bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

class Scanner {
public:
    explicit Scanner(std::string_view text) : text_(text) {}
    void skip_space() {
        while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    }
    bool at_end() {
        skip_space();
        return pos_ >= text_.size();
    }
    bool accept(char c) {
        skip_space();
        if (pos_ < text_.size() && text_[pos_] == c) {
            ++pos_;
            return true;
        }
        return false;
    }
    std::string word(const char* what) {
        skip_space();
        const std::size_t start = pos_;
        while (pos_ < text_.size() && is_word(text_[pos_])) ++pos_;
        if (pos_ == start) fail(std::string("expected ") + what);
        return std::string(text_.substr(start, pos_ - start));
    }
    [[noreturn]] void fail(const std::string& what) const {
        throw ParseError("bad dimension relation '" + std::string(text_) + "': " + what + " at character " + std::to_string(pos_ + 1));
    }

private:
    std::string_view text_;
    std::size_t pos_ = 0;
};

bool all_digits(const std::string& s) {
    for (char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return !s.empty();
}

bool starts_with_digit(const std::string& s) { return !s.empty() && std::isdigit(static_cast<unsigned char>(s[0])); }

} // namespace

DimensionRelation parse_relation(std::string_view text) {
    Scanner s(text);
    DimensionRelation r;
    const std::string target = s.word("the index it defines");
    if (starts_with_digit(target)) s.fail("an index name, not a number,");
    r.target = upper(target);
    if (!s.accept('=')) s.fail("expected '='");
    do {
        std::string first = s.word("a coefficient or a dim");
        std::int64_t coefficient = 1;
        std::string dim = first;
        if (s.accept('*')) {
            if (!all_digits(first)) s.fail("a whole-number coefficient before '*'");
            if (first.size() > 10 || std::stoll(first) > max_coefficient) s.fail("a coefficient of at most 2^31");
            coefficient = std::stoll(first);
            dim = s.word("a dim after '*'");
        }
        if (starts_with_digit(dim)) s.fail("a dim name, not a number,");
        if (coefficient < 1) s.fail("a coefficient of at least 1");
        RelationTerm term{upper(dim), coefficient};
        for (const RelationTerm& t : r.terms)
            if (t.dim == term.dim) s.fail("each dim once");
        if (term.dim == r.target) s.fail("a dim other than the index itself");
        r.terms.push_back(std::move(term));
    } while (s.accept('+'));
    if (!s.at_end()) s.fail("'+' or the end");
    return r;
}

std::int64_t relation_span(const DimensionRelation& relation, const std::vector<std::int64_t>& sizes) {
    std::int64_t span = 1;
    for (std::size_t i = 0; i < relation.terms.size() && i < sizes.size(); ++i) {
        std::int64_t step = 0;
        if (__builtin_mul_overflow(sizes[i] - 1, relation.terms[i].coefficient, &step) || __builtin_add_overflow(span, step, &span))
            throw ParseError("index " + relation.target + " spans more than 2^63 positions");
    }
    return span;
}

} // namespace stream::yaml_frontend
