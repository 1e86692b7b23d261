// The dashboard's text helpers by hand: HtmlEscape (what may reach an HTML page) and UrlDecode
// (what a query string or form body means), with malformed %-escapes, '+', NUL and multibyte
// characters.
#include <gtest/gtest.h>

#include <string>

#include "services/http/http_server.h"

namespace okr {
namespace {

TEST(HtmlEscape, TurnsTheFiveSpecialCharactersIntoEntities) {
  EXPECT_EQ(HtmlEscape("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
  EXPECT_EQ(HtmlEscape("\" onmouseover=\"x"), "&quot; onmouseover=&quot;x");
  EXPECT_EQ(HtmlEscape("<img src=x onerror=alert(1)>"), "&lt;img src=x onerror=alert(1)&gt;");
}

TEST(HtmlEscape, KeepsEverythingElseByteForByte) {
  EXPECT_EQ(HtmlEscape(""), "");
  EXPECT_EQ(HtmlEscape("Group one, 100% / 2"), "Group one, 100% / 2");
  // An entity is escaped again, not trusted: "&amp;" shows as the five characters.
  EXPECT_EQ(HtmlEscape("&amp;"), "&amp;amp;");
  EXPECT_EQ(HtmlEscape("&#60;"), "&amp;#60;");
  // Multibyte UTF-8 (中文, é, 🙂) and a NUL pass through unchanged.
  EXPECT_EQ(HtmlEscape("\xe4\xb8\xad\xe6\x96\x87 caf\xc3\xa9 \xf0\x9f\x99\x82"),
            "\xe4\xb8\xad\xe6\x96\x87 caf\xc3\xa9 \xf0\x9f\x99\x82");
  EXPECT_EQ(HtmlEscape(std::string("a\0<", 3)), std::string("a\0&lt;", 6));
  EXPECT_EQ(HtmlEscape("`=/"), "`=/");
}

TEST(UrlDecode, DecodesPlusAndPercentEscapes) {
  EXPECT_EQ(UrlDecode(""), "");
  EXPECT_EQ(UrlDecode("plain"), "plain");
  EXPECT_EQ(UrlDecode("a+b"), "a b");
  EXPECT_EQ(UrlDecode("%41%42c"), "ABc");
  EXPECT_EQ(UrlDecode("%4a%4A"), "JJ");  // either case of hex digit
  EXPECT_EQ(UrlDecode("%2B"), "+");      // an escaped plus is a plus, not a space
  EXPECT_EQ(UrlDecode("+%2B+"), " + ");
  EXPECT_EQ(UrlDecode("%20"), " ");
  EXPECT_EQ(UrlDecode("%25"), "%");
  EXPECT_EQ(UrlDecode("%2541"), "%41");  // decoded once, not twice
  EXPECT_EQ(UrlDecode("ab%41"), "abA");  // an escape that ends the text
  EXPECT_EQ(UrlDecode("%3Cscript%3E"), "<script>");
  EXPECT_EQ(UrlDecode("unit%3Dco%26x"), "unit=co&x");
}

TEST(UrlDecode, LeavesMalformedEscapesAsTheyAre) {
  EXPECT_EQ(UrlDecode("%"), "%");
  EXPECT_EQ(UrlDecode("100%"), "100%");
  EXPECT_EQ(UrlDecode("%4"), "%4");
  EXPECT_EQ(UrlDecode("a%2"), "a%2");
  EXPECT_EQ(UrlDecode("%zz"), "%zz");
  EXPECT_EQ(UrlDecode("%G1"), "%G1");
  EXPECT_EQ(UrlDecode("%1G"), "%1G");
  EXPECT_EQ(UrlDecode("%%41"), "%A");  // the first '%' has no digits; the second escape does
  EXPECT_EQ(UrlDecode("% 41"), "% 41");
  EXPECT_EQ(UrlDecode("%+1"), "% 1");  // '+' is no hex digit; it is still a space
  EXPECT_EQ(UrlDecode("%-1"), "%-1");
  // A '%' before a byte of a multibyte character: not an escape, and no byte changes.
  EXPECT_EQ(UrlDecode("%\xc3\xa9"), "%\xc3\xa9");
  EXPECT_EQ(UrlDecode("%\xff\xff"), "%\xff\xff");
}

TEST(UrlDecode, KeepsNulAndMultibyteBytes) {
  EXPECT_EQ(UrlDecode("a%00b"), std::string("a\0b", 3));
  EXPECT_EQ(UrlDecode(std::string("a\0b", 3)), std::string("a\0b", 3));
  // 中 is E4 B8 AD in UTF-8: escaped, in either case, or sent raw.
  EXPECT_EQ(UrlDecode("%E4%B8%AD"), "\xe4\xb8\xad");
  EXPECT_EQ(UrlDecode("%e4%b8%ad"), "\xe4\xb8\xad");
  EXPECT_EQ(UrlDecode("\xe4\xb8\xad+%E6%96%87"), "\xe4\xb8\xad \xe6\x96\x87");
  // Half a character stays half a character: checking UTF-8 is the caller's business.
  EXPECT_EQ(UrlDecode("%E4%B8"), "\xe4\xb8");
  EXPECT_EQ(UrlDecode("%FF"), "\xff");
}

}  // namespace
}  // namespace okr
