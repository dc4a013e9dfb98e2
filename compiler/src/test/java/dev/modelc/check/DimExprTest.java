package dev.modelc.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DimExprTest {

  // ---- helpers ---------------------------------------------------------------------------------

  static DimExpr c(long v) {
    return DimExpr.constant(v);
  }

  static DimExpr v(String n) {
    return DimExpr.var(n);
  }

  static final DimExpr A = v("A"), B = v("B"), H = v("H"), KH = v("KH"), W = v("W");

  /** Asserts e prints as {@code text}, and that {@code text} parses back to e. */
  static void assertPrints(String text, DimExpr e) {
    assertEquals(text, e.toString());
    assertEquals(e, Parser.parse(text), () -> "round trip of " + text);
  }

  static void assertSame(DimExpr expected, DimExpr actual) {
    assertEquals(expected, actual);
    assertEquals(expected.hashCode(), actual.hashCode());
    assertEquals(expected.toString(), actual.toString());
    assertEquals(0, expected.compareTo(actual));
  }

  /**
   * Tiny recursive-descent parser for printed dimensions: expr := term (('+'|'-') term)*, term :=
   * unary (('*'|'/') unary)*, unary := '-' unary | number | name | '(' expr ')'. Unary minus binds
   * tighter than '*' and '/' (as in Python), which is the strictest reading for the printer.
   */
  static final class Parser {
    private final String s;
    private int pos;

    private Parser(String s) {
      this.s = s;
    }

    static DimExpr parse(String s) {
      Parser p = new Parser(s);
      DimExpr e = p.expr();
      p.skipSpaces();
      if (p.pos != s.length()) throw new IllegalArgumentException("trailing input in " + s);
      return e;
    }

    private void skipSpaces() {
      while (pos < s.length() && s.charAt(pos) == ' ') pos++;
    }

    private boolean eat(char ch) {
      skipSpaces();
      if (pos < s.length() && s.charAt(pos) == ch) {
        pos++;
        return true;
      }
      return false;
    }

    private DimExpr expr() {
      DimExpr e = term();
      while (true) {
        if (eat('+')) e = e.plus(term());
        else if (eat('-')) e = e.minus(term());
        else return e;
      }
    }

    private DimExpr term() {
      DimExpr e = unary();
      while (true) {
        if (eat('*')) e = e.times(unary());
        else if (eat('/')) {
          DimExpr d = unary();
          e = e.floorDiv(d).orElseThrow(() -> new IllegalArgumentException("bad divisor " + d));
        } else return e;
      }
    }

    private DimExpr unary() {
      if (eat('-')) return unary().negate();
      if (eat('(')) {
        DimExpr e = expr();
        if (!eat(')')) throw new IllegalArgumentException("expected ) in " + s);
        return e;
      }
      skipSpaces();
      int start = pos;
      if (pos < s.length() && Character.isDigit(s.charAt(pos))) {
        while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
        return c(Long.parseLong(s.substring(start, pos)));
      }
      while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) pos++;
      if (start == pos) throw new IllegalArgumentException("unexpected input at " + pos + " in " + s);
      return v(s.substring(start, pos));
    }
  }

  static DimExpr p(String s) {
    return Parser.parse(s);
  }

  // ---- examples from the brief -----------------------------------------------------------------

  @Nested
  class Examples {
    @Test
    void timesTwoDividedByTwoIsB() {
      assertSame(B, B.times(c(2)).floorDiv(2));
      assertSame(B, p("(B*2)/2"));
    }

    @Test
    void twoBPlusOneOverTwoIsB() {
      assertSame(B, p("(2*B + 1)/2"));
    }

    @Test
    void convOutputStaysSymbolic() {
      // floor((W - 2)/2) + 1 == floor(W/2) for every integer W; the normal form pulls the -1 out.
      DimExpr e = p("(W - 2)/2 + 1");
      assertFalse(e.isConstant());
      assertSame(W.floorDiv(2), e);
      assertPrints("W/2", e);
      assertEquals(OptionalLong.of(14), e.evaluate(Map.of("W", 28L)));
      assertEquals(OptionalLong.of(14), e.evaluate(Map.of("W", 29L)));
      assertEquals(OptionalLong.of(-1), e.evaluate(Map.of("W", -1L)));
    }

    @Test
    void convOutputFoldsUnderSubstitute() {
      DimExpr e = p("H - KH + 1");
      assertPrints("H - KH + 1", e);
      DimExpr folded = e.substitute(Map.of("H", c(28), "KH", c(3)));
      assertSame(c(26), folded);
      assertTrue(folded.isConstant());
      assertEquals(OptionalLong.of(26), folded.constantValue());
    }

    @Test
    void differenceOfSquares() {
      assertSame(p("A*A - B*B"), A.plus(B).times(A.minus(B)));
      assertPrints("A*A - B*B", A.plus(B).times(A.minus(B)));
    }
  }

  // ---- algebraic laws --------------------------------------------------------------------------

  @Nested
  class Laws {
    @Test
    void commutativity() {
      assertSame(A.plus(B), B.plus(A));
      assertSame(A.times(B), B.times(A));
      assertSame(p("H*W*B"), p("B*H*W"));
      assertSame(p("W/2*H"), p("H*(W/2)"));
    }

    @Test
    void associativity() {
      assertSame(A.plus(B).plus(H), A.plus(B.plus(H)));
      assertSame(A.times(B).times(H), A.times(B.times(H)));
    }

    @Test
    void distributivity() {
      assertSame(A.times(B.plus(H)), A.times(B).plus(A.times(H)));
      assertSame(p("2*(B + 3) - 6"), p("B + B"));
      assertSame(p("(A + 1)*(A + 1)"), p("A*A + 2*A + 1"));
    }

    @Test
    void cancellationGivesZero() {
      DimExpr z = B.minus(B);
      assertSame(c(0), z);
      assertPrints("0", z);
      assertTrue(z.isConstant());
      assertEquals(OptionalLong.of(0), z.constantValue());
      assertSame(c(0), p("A*B - B*A"));
      assertSame(c(0), B.times(c(0)));
    }

    @Test
    void negation() {
      assertSame(p("-B + 3"), c(3).minus(B));
      assertSame(B, B.negate().negate());
      assertSame(c(0), B.plus(B.negate()));
    }

    @Test
    void identities() {
      assertSame(B, B.plus(c(0)));
      assertSame(B, B.times(c(1)));
      assertSame(B, B.floorDiv(1));
    }

    @Test
    void differentExpressionsDiffer() {
      assertNotEquals(A, B);
      assertNotEquals(B, B.times(c(2)));
      assertNotEquals(B.floorDiv(2), B.floorDiv(3));
      assertNotEquals(B.floorDiv(2), B);
      assertNotEquals(c(1), c(2));
      assertNotEquals(B.times(B), B.times(c(2)));
    }

    @Test
    void compareToIsATotalOrderConsistentWithEquals() {
      List<DimExpr> es = new ArrayList<>(List.of(
          c(0), c(-3), c(5), A, B, p("A*B"), p("B*B"), p("W/2"), p("(W + 1)/2"), p("A + 1"),
          p("A - 1"), p("-A"), p("2*A"), p("H*(W/2)"), p("A*B*H")));
      for (DimExpr x : es) {
        for (DimExpr y : es) {
          assertEquals(x.equals(y), x.compareTo(y) == 0, x + " vs " + y);
          assertEquals(Integer.signum(x.compareTo(y)), -Integer.signum(y.compareTo(x)));
        }
      }
      Collections.shuffle(es, new Random(1));
      List<DimExpr> sorted = new ArrayList<>(es);
      Collections.sort(sorted);
      Collections.shuffle(es, new Random(2));
      Collections.sort(es);
      assertEquals(sorted, es);
    }
  }

  // ---- printing --------------------------------------------------------------------------------

  @Nested
  class Printing {
    @Test
    void basicForms() {
      assertPrints("2*B", B.times(c(2)));
      assertPrints("B*H", H.times(B));
      assertPrints("B*B", B.times(B));
      assertPrints("-B + 3", c(3).minus(B));
      assertPrints("-B", B.negate());
      assertPrints("-3", c(-3));
      assertPrints("7", c(7));
      assertPrints("B", B);
      assertPrints("B - 3", B.minus(c(3)));
      assertPrints("-2*B*H + 1", p("1 - 2*H*B"));
    }

    @Test
    void termOrderIsDegreeThenName() {
      assertPrints("A*B*H + B*B + A + H + 3", p("3 + H + A + B*B + H*A*B"));
      assertPrints("H - KH + 1", p("1 + H - KH"));
      assertPrints("A + B/2", p("B/2 + A"));
    }

    @Test
    void floorAtoms() {
      assertPrints("W/2", W.floorDiv(2));
      assertPrints("(W + 1)/2", W.plus(c(1)).floorDiv(2));
      assertPrints("(H + W)/2", H.plus(W).floorDiv(2));
      assertPrints("(W*W + 1)/3", p("(W*W + 1)/3"));
    }

    @Test
    void floorAtomsNeverMisparse() {
      // "2*W/2" would read as (2*W)/2 == W, "-W/2" as (-W)/2, so these need parentheses.
      assertPrints("2*(W/2)", W.floorDiv(2).times(c(2)));
      assertPrints("-(W/2)", W.floorDiv(2).negate());
      assertPrints("-2*(W/2)", W.floorDiv(2).times(c(-2)));
      assertPrints("H*(W/2)", W.floorDiv(2).times(H));
      assertPrints("A - W/2", A.minus(W.floorDiv(2)));
      assertPrints("W/2*(W/2)", W.floorDiv(2).times(W.floorDiv(2)));
      assertPrints("B/2 - B", B.negate().floorDiv(2));
    }
  }

  // ---- floor division --------------------------------------------------------------------------

  @Nested
  class FloorDivision {
    @Test
    void pythonSemanticsOnConstants() {
      assertSame(c(-4), c(-7).floorDiv(2));
      assertSame(c(3), c(7).floorDiv(2));
      assertSame(c(-1), c(-1).floorDiv(5));
      assertSame(c(0), c(0).floorDiv(5));
      assertSame(c(-4), p("(-7)/2"));
      assertSame(c(-4), p("-7/2")); // unary minus binds tighter
      assertSame(c(-3), p("-(7/2)"));
    }

    @Test
    void negativeCoefficients() {
      // floor(-B/2) == -B + floor(B/2)
      DimExpr e = p("(-B)/2");
      for (long b = -9; b <= 9; b++) {
        assertEquals(Math.floorDiv(-b, 2), e.evaluate(Map.of("B", b)).getAsLong());
      }
    }

    @Test
    void integerPartLeavesTheFloor() {
      assertSame(p("B + W/2"), p("(2*B + W)/2"));
      assertSame(p("B - 1 + (W + 1)/3"), p("(3*B + W - 2)/3"));
      assertSame(p("B*H"), p("(4*B*H)/4"));
    }

    @Test
    void nestedDivisionCollapses() {
      assertSame(W.floorDiv(6), W.floorDiv(2).floorDiv(3));
      assertSame(p("(W + 1)/4"), p("((W + 1)/2)/2"));
      // floor((floor(W/2) + 1)/2) == floor((W + 2)/4)
      assertSame(p("(W + 2)/4"), p("(W/2 + 1)/2"));
      assertSame(p("W/8"), p("W/2/2/2"));
    }

    @Test
    void commonFactorWithDivisorCancels() {
      assertSame(W.floorDiv(2), p("(2*W + 1)/4"));
      assertSame(p("(W + H)/3"), p("(2*W + 2*H + 1)/6"));
    }

    @Test
    void divisionByDimExpr() {
      assertEquals(Optional.of(W.floorDiv(2)), W.floorDiv(c(2)));
      assertEquals(Optional.empty(), W.floorDiv(H));
      assertEquals(Optional.empty(), W.floorDiv(c(0)));
      assertEquals(Optional.empty(), W.floorDiv(c(-2)));
      assertEquals(Optional.of(c(3)), c(7).floorDiv(p("4 - 2")));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, -2, Long.MIN_VALUE})
    void nonPositiveDivisorIsRejected(long d) {
      assertThrows(IllegalArgumentException.class, () -> W.floorDiv(d));
    }
  }

  // ---- queries, substitute, evaluate -----------------------------------------------------------

  @Nested
  class Queries {
    @Test
    void isVar() {
      assertTrue(B.isVar());
      assertTrue(p("B + 0").isVar());
      assertTrue(p("2*B - B").isVar());
      assertFalse(p("2*B").isVar());
      assertFalse(p("-B").isVar());
      assertFalse(p("B*B").isVar());
      assertFalse(p("B + 1").isVar());
      assertFalse(p("B/2").isVar());
      assertFalse(c(1).isVar());
    }

    @Test
    void isConstant() {
      assertTrue(c(4).isConstant());
      assertTrue(p("B - B + 2").isConstant());
      assertFalse(B.isConstant());
      assertEquals(OptionalLong.empty(), B.constantValue());
      assertEquals(OptionalLong.of(-2), p("3 - 5").constantValue());
    }

    @Test
    void variablesAreSortedAndIncludeFloorInners() {
      assertEquals(List.of("B", "H", "KH", "W"), List.copyOf(p("KH*W + (H + B)/2").variables()));
      assertEquals(Set.of(), c(3).variables());
      assertEquals(Set.of(), p("B - B").variables());
    }

    @Test
    void badVariableNames() {
      assertThrows(IllegalArgumentException.class, () -> v(""));
      assertThrows(IllegalArgumentException.class, () -> v("1B"));
      assertThrows(IllegalArgumentException.class, () -> v("B H"));
      assertThrows(IllegalArgumentException.class, () -> v(null));
    }

    @Test
    void substituteRenormalises() {
      assertSame(p("N"), p("B/2").substitute(Map.of("B", p("2*N"))));
      assertSame(p("2*N + 1"), p("B + N").substitute(Map.of("B", p("N + 1"))));
      assertSame(c(12), p("(W - 3)/2").substitute(Map.of("W", c(28))));
      assertSame(c(-3), p("(W - 3)/2").substitute(Map.of("W", c(-3))));
      assertSame(p("H - 2"), p("H - KH + 1").substitute(Map.of("KH", c(3))));
      assertSame(B, B.substitute(Map.of()));
      assertSame(c(0), p("(A + B)*(A - B)").substitute(Map.of("A", B)));
    }

    @Test
    void evaluate() {
      Map<String, Long> vals = Map.of("H", 28L, "KH", 3L, "W", 7L);
      assertEquals(OptionalLong.of(26), p("H - KH + 1").evaluate(vals));
      assertEquals(OptionalLong.of(3), p("(W - 2)/2 + 1").evaluate(vals));
      assertEquals(OptionalLong.empty(), p("H + B").evaluate(vals));
      assertEquals(OptionalLong.empty(), p("H + B/2").evaluate(vals));
      assertEquals(OptionalLong.of(5), c(5).evaluate(Map.of()));
      Map<String, Long> withNull = new HashMap<>();
      withNull.put("B", null);
      assertEquals(OptionalLong.empty(), B.evaluate(withNull));
    }

    @Test
    void largeDimensionsDoNotOverflow() {
      Map<String, Long> mega = Map.of("B", 1_000_000L, "H", 1_000_000L, "W", 1_000_000L);
      DimExpr e = p("B*H*W");
      assertEquals(OptionalLong.of(1_000_000_000_000_000_000L), e.evaluate(mega));
      assertSame(c(1_000_000_000_000_000_000L),
          e.substitute(Map.of("B", c(1_000_000), "H", c(1_000_000), "W", c(1_000_000))));
      assertSame(c(Long.MAX_VALUE), c(Long.MAX_VALUE - 1).plus(c(1)));
    }
  }

  // ---- solveFor --------------------------------------------------------------------------------

  @Nested
  class Solve {
    @Test
    void simple() {
      assertEquals(Optional.of(c(4)), p("B + 1").solveFor("B", c(5)));
      assertEquals(Optional.of(c(4)), p("-B + 7").solveFor("B", c(3)));
      assertEquals(Optional.of(c(5)), B.solveFor("B", c(5)));
    }

    @Test
    void convOutput() {
      assertEquals(Optional.of(p("KH + 25")), p("H - KH + 1").solveFor("H", c(26)));
      assertEquals(Optional.of(p("H - 25")), p("H - KH + 1").solveFor("KH", c(26)));
    }

    @Test
    void symbolicTargetAndOtherTerms() {
      // B*H + N - 3 == W  =>  N == W - B*H + 3
      DimExpr sol = p("B*H + N - 3").solveFor("N", W).orElseThrow();
      assertSame(p("W - B*H + 3"), sol);
      assertSame(W, p("B*H + N - 3").substitute(Map.of("N", sol)));
      assertEquals(Optional.of(p("W/2 - 1")), p("B + 1").solveFor("B", p("W/2")));
    }

    @Test
    void rejectsNonUnitOrNonLinear() {
      assertEquals(Optional.empty(), p("2*B").solveFor("B", c(4)));
      assertEquals(Optional.empty(), p("-3*B + 1").solveFor("B", c(4)));
      assertEquals(Optional.empty(), p("B*H").solveFor("B", c(4)));
      assertEquals(Optional.empty(), p("B*B").solveFor("B", c(4)));
      assertEquals(Optional.empty(), p("B + B*H").solveFor("B", c(4)));
      assertEquals(Optional.empty(), p("B + B/2").solveFor("B", c(4)));
      assertEquals(Optional.empty(), p("B/2").solveFor("B", c(4)));
      assertEquals(Optional.empty(), p("H + 1").solveFor("B", c(4)));
      assertEquals(Optional.empty(), p("B + 1").solveFor("B", p("B + 2")));
    }
  }

  // ---- overflow --------------------------------------------------------------------------------

  @Nested
  class Overflow {
    @Test
    void arithmeticThrows() {
      DimExpr max = c(Long.MAX_VALUE);
      assertThrows(ArithmeticException.class, () -> max.plus(c(1)));
      assertThrows(ArithmeticException.class, () -> c(Long.MIN_VALUE).minus(c(1)));
      assertThrows(ArithmeticException.class, () -> max.times(c(2)));
      assertThrows(ArithmeticException.class, () -> c(Long.MIN_VALUE).negate());
      assertThrows(ArithmeticException.class, () -> B.times(max).plus(B));
      assertThrows(ArithmeticException.class, () -> B.plus(c(1)).times(B.plus(max)).times(c(2)));
    }

    @Test
    void evaluateAndSubstituteThrow() {
      Map<String, Long> big = Map.of("B", 10_000_000L, "H", 10_000_000L, "W", 1_000_000L);
      assertThrows(ArithmeticException.class, () -> p("B*H*W").evaluate(big));
      assertThrows(ArithmeticException.class, () -> p("B*H*W").substitute(
          Map.of("B", c(10_000_000), "H", c(10_000_000), "W", c(1_000_000))));
      assertThrows(ArithmeticException.class, () -> p("B + 1").evaluate(Map.of("B", Long.MAX_VALUE)));
    }
  }

  // ---- randomized properties -------------------------------------------------------------------

  /** A plain expression tree, evaluated directly with Python floor semantics. */
  sealed interface Tree {
    record Num(long v) implements Tree {}

    record Name(String n) implements Tree {}

    record Bin(char op, Tree l, Tree r) implements Tree {}

    record Div(Tree l, long d) implements Tree {}
  }

  static final String[] NAMES = {"A", "B", "C"};

  static Tree randomTree(Random rnd, int depth) {
    return randomTree(rnd, depth, true);
  }

  static Tree randomTree(Random rnd, int depth, boolean divisions) {
    if (depth == 0 || rnd.nextInt(4) == 0) {
      return rnd.nextBoolean()
          ? new Tree.Num(rnd.nextInt(11) - 5)
          : new Tree.Name(NAMES[rnd.nextInt(NAMES.length)]);
    }
    return switch (rnd.nextInt(divisions ? 5 : 3)) {
      case 0 -> new Tree.Bin('+', randomTree(rnd, depth - 1, divisions), randomTree(rnd, depth - 1, divisions));
      case 1 -> new Tree.Bin('-', randomTree(rnd, depth - 1, divisions), randomTree(rnd, depth - 1, divisions));
      case 2 -> new Tree.Bin('*', randomTree(rnd, depth - 1, divisions), randomTree(rnd, depth - 1, divisions));
      default -> new Tree.Div(randomTree(rnd, depth - 1, divisions), 1 + rnd.nextInt(5));
    };
  }

  static long eval(Tree t, Map<String, Long> vals) {
    return switch (t) {
      case Tree.Num n -> n.v();
      case Tree.Name n -> vals.get(n.n());
      case Tree.Div d -> Math.floorDiv(eval(d.l(), vals), d.d());
      case Tree.Bin b -> {
        long l = eval(b.l(), vals), r = eval(b.r(), vals);
        yield switch (b.op()) {
          case '+' -> l + r;
          case '-' -> l - r;
          default -> l * r;
        };
      }
    };
  }

  static DimExpr build(Tree t) {
    return switch (t) {
      case Tree.Num n -> c(n.v());
      case Tree.Name n -> v(n.n());
      case Tree.Div d -> build(d.l()).floorDiv(d.d());
      case Tree.Bin b -> switch (b.op()) {
        case '+' -> build(b.l()).plus(build(b.r()));
        case '-' -> build(b.l()).minus(build(b.r()));
        default -> build(b.l()).times(build(b.r()));
      };
    };
  }

  @Test
  void randomTreesEvaluateLikeDirectEvaluationAndRoundTrip() {
    Random rnd = new Random(20240601);
    for (int iter = 0; iter < 3000; iter++) {
      Tree t = randomTree(rnd, 1 + rnd.nextInt(5));
      DimExpr e = build(t);
      String text = e.toString();
      DimExpr back = Parser.parse(text);
      assertEquals(e, back, () -> "round trip of " + text + " from " + t);
      assertEquals(text, back.toString());
      assertEquals(e.hashCode(), back.hashCode());
      for (int k = 0; k < 8; k++) {
        Map<String, Long> vals = new HashMap<>();
        Map<String, DimExpr> binds = new HashMap<>();
        for (String n : NAMES) {
          long x = rnd.nextInt(21) - 10;
          vals.put(n, x);
          binds.put(n, c(x));
        }
        long expected = eval(t, vals);
        assertEquals(OptionalLong.of(expected), e.evaluate(vals), () -> t + " normalised to " + text);
        assertEquals(OptionalLong.of(expected), e.substitute(binds).constantValue(), () -> t + " / " + text);
      }
    }
  }

  @Test
  void randomAlgebraicLawsHold() {
    Random rnd = new Random(7);
    for (int iter = 0; iter < 1500; iter++) {
      DimExpr x = build(randomTree(rnd, 3)), y = build(randomTree(rnd, 3)), z = build(randomTree(rnd, 3));
      long d = 1 + rnd.nextInt(5), d2 = 1 + rnd.nextInt(5);
      assertSame(x.plus(y), y.plus(x));
      assertSame(x.times(y), y.times(x));
      assertSame(x.plus(y).plus(z), x.plus(y.plus(z)));
      assertSame(x.times(y).times(z), x.times(y.times(z)));
      assertSame(x.times(y.plus(z)), x.times(y).plus(x.times(z)));
      assertSame(x.minus(y), y.minus(x).negate());
      assertSame(x, x.plus(y).minus(y));
      // floor((d*x + y)/d) == x + floor(y/d), floor(floor(x/d)/d2) == floor(x/(d*d2))
      assertSame(x.plus(y.floorDiv(d)), x.times(c(d)).plus(y).floorDiv(d));
      // The nested law is exact in the normal form for floor-free x (the shapes conv/pool chains
      // produce); with floors already inside x both sides are still equal in value.
      DimExpr poly = build(randomTree(rnd, 3, false));
      assertSame(poly.floorDiv(d * d2), poly.floorDiv(d).floorDiv(d2));
      Map<String, Long> point = Map.of("A", rnd.nextLong(-9, 10), "B", rnd.nextLong(-9, 10), "C", 2L);
      assertEquals(x.floorDiv(d * d2).evaluate(point), x.floorDiv(d).floorDiv(d2).evaluate(point));
      // substituting a variable by an expression commutes with normalisation
      Map<String, DimExpr> bind = Map.of("A", y);
      Map<String, Long> vals = Map.of("A", 3L, "B", -4L, "C", 5L);
      long yv = y.evaluate(vals).getAsLong();
      Map<String, Long> valsA = Map.of("A", yv, "B", -4L, "C", 5L);
      assertEquals(x.evaluate(valsA), x.substitute(bind).evaluate(vals));
    }
  }
}
