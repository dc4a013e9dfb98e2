package dev.modelc.check;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An immutable symbolic tensor dimension (integer, dimension variable, {@code + - *}, and floor
 * division by a positive constant), always kept in a canonical normal form so that the shape
 * checker can compare dimensions with {@link #equals}.
 *
 * <p>Normal form: a polynomial {@code sum(coefficient * monomial)} with non-zero {@code long}
 * coefficients. A monomial is a sorted multiset of atoms (the empty monomial is the constant
 * term). An atom is a variable or {@code floor(inner / c)} with {@code c >= 2} and {@code inner}
 * itself in normal form and reduced (every coefficient in {@code [0, c)}, see {@link
 * #floorDiv(long)}). All arithmetic is exact: overflow throws {@link ArithmeticException}.
 */
public final class DimExpr implements Comparable<DimExpr> {

  private sealed interface Atom permits Var, Floor {}

  private record Var(String name) implements Atom {}

  private record Floor(DimExpr inner, long divisor) implements Atom {}

  /** Variables sort before floor atoms; variables by name, floor atoms by inner then divisor. */
  private static int compareAtoms(Atom a, Atom b) {
    if (a instanceof Var(String x)) return b instanceof Var(String y) ? x.compareTo(y) : -1;
    if (b instanceof Var) return 1;
    Floor f = (Floor) a, g = (Floor) b;
    int c = f.inner.compareTo(g.inner);
    return c != 0 ? c : Long.compare(f.divisor, g.divisor);
  }

  /** A sorted multiset of atoms; ordered by degree descending, then lexicographically. */
  private record Mono(List<Atom> atoms) implements Comparable<Mono> {
    static final Mono ONE = new Mono(List.of());

    Mono times(Mono o) {
      if (o.atoms.isEmpty()) return this;
      if (atoms.isEmpty()) return o;
      List<Atom> all = new ArrayList<>(atoms);
      all.addAll(o.atoms);
      all.sort(DimExpr::compareAtoms);
      return new Mono(List.copyOf(all));
    }

    @Override
    public int compareTo(Mono o) {
      if (atoms.size() != o.atoms.size()) return Integer.compare(o.atoms.size(), atoms.size());
      for (int i = 0; i < atoms.size(); i++) {
        int c = compareAtoms(atoms.get(i), o.atoms.get(i));
        if (c != 0) return c;
      }
      return 0;
    }
  }

  private static final DimExpr ZERO = new DimExpr(new TreeMap<>());

  /** Monomial -> coefficient, never a zero coefficient; iteration order is the printing order. */
  private final SortedMap<Mono, Long> terms;

  private DimExpr(TreeMap<Mono, Long> terms) {
    terms.values().removeIf(k -> k == 0); // zero terms vanish, so the form stays canonical
    this.terms = Collections.unmodifiableSortedMap(terms);
  }

  private static DimExpr term(Mono m, long k) {
    TreeMap<Mono, Long> t = new TreeMap<>();
    t.put(m, k);
    return new DimExpr(t);
  }

  public static DimExpr constant(long v) {
    return term(Mono.ONE, v);
  }

  /** A dimension variable; the name must be an identifier so that {@link #toString} parses back. */
  public static DimExpr var(String name) {
    if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("not a dimension variable name: " + name);
    }
    return term(new Mono(List.of(new Var(name))), 1);
  }

  private static DimExpr atom(Atom a) {
    return term(new Mono(List.of(a)), 1);
  }

  public DimExpr plus(DimExpr o) {
    TreeMap<Mono, Long> t = new TreeMap<>(terms);
    o.terms.forEach((m, k) -> t.merge(m, k, Math::addExact));
    return new DimExpr(t);
  }

  public DimExpr minus(DimExpr o) {
    return plus(o.negate());
  }

  public DimExpr negate() {
    TreeMap<Mono, Long> t = new TreeMap<>();
    terms.forEach((m, k) -> t.put(m, Math.negateExact(k)));
    return new DimExpr(t);
  }

  public DimExpr times(DimExpr o) {
    TreeMap<Mono, Long> t = new TreeMap<>();
    for (var a : terms.entrySet()) {
      for (var b : o.terms.entrySet()) {
        long k = Math.multiplyExact(a.getValue(), b.getValue());
        t.merge(a.getKey().times(b.getKey()), k, Math::addExact);
      }
    }
    return new DimExpr(t);
  }

  /**
   * {@code floor(this / c)} with Python semantics ({@code (-7)/2 == -4}). Writes {@code this = c*q
   * + r} with every coefficient of r in {@code [0, c)}, so that {@code floor(this/c) = q +
   * floor(r/c)}; the integer part q thereby leaves the floor ({@code (2*B + 1)/2 == B}).
   */
  public DimExpr floorDiv(long c) {
    if (c <= 0) throw new IllegalArgumentException("floor division by non-positive " + c);
    if (c == 1) return this;
    TreeMap<Mono, Long> q = new TreeMap<>(), r = new TreeMap<>();
    terms.forEach((m, k) -> {
      q.put(m, Math.floorDiv(k, c));
      r.put(m, Math.floorMod(k, c));
    });
    return new DimExpr(q).plus(floorOfReduced(new DimExpr(r), c));
  }

  /** {@code floor(r / c)} for {@code c >= 2} and r with every coefficient in {@code [0, c)}. */
  private static DimExpr floorOfReduced(DimExpr r, long c) {
    long r0 = r.constantTerm();
    DimExpr rest = r.minus(constant(r0));
    if (rest.terms.isEmpty()) return ZERO; // 0 <= r0 < c
    // floor((s + floor(x/a))/c) == floor((a*s + x)/(a*c)) for any integer-valued s: nested
    // divisions become one, e.g. (W/2)/3 == W/6. Absorb the first floor atom with coefficient 1.
    for (var e : rest.terms.entrySet()) {
      if (e.getValue() == 1 && e.getKey().atoms.size() == 1
          && e.getKey().atoms.getFirst() instanceof Floor(DimExpr x, long a)) {
        DimExpr s = r.minus(term(e.getKey(), 1));
        return s.times(constant(a)).plus(x).floorDiv(Math.multiplyExact(a, c));
      }
    }
    // If g divides c and every non-constant coefficient: floor((g*s + r0)/(g*c')) ==
    // floor((s + floor(r0/g))/c'), so e.g. (2*W + 1)/4 and W/2 get the same form.
    long g = c;
    for (long k : rest.terms.values()) g = gcd(g, k);
    if (g > 1) {
      TreeMap<Mono, Long> s = new TreeMap<>();
      final long gg = g;
      rest.terms.forEach((m, k) -> s.put(m, k / gg));
      return new DimExpr(s).plus(constant(r0 / g)).floorDiv(c / g);
    }
    return atom(new Floor(r, c));
  }

  private static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  /** Present iff {@code divisor} is a positive constant (the only division dimensions allow). */
  public Optional<DimExpr> floorDiv(DimExpr divisor) {
    OptionalLong c = divisor.constantValue();
    return c.isPresent() && c.getAsLong() > 0
        ? Optional.of(floorDiv(c.getAsLong()))
        : Optional.empty();
  }

  private long constantTerm() {
    return terms.getOrDefault(Mono.ONE, 0L);
  }

  public boolean isConstant() {
    return terms.isEmpty() || (terms.size() == 1 && terms.containsKey(Mono.ONE));
  }

  public OptionalLong constantValue() {
    return isConstant() ? OptionalLong.of(constantTerm()) : OptionalLong.empty();
  }

  /** True iff this is exactly one variable with coefficient 1. */
  public boolean isVar() {
    if (terms.size() != 1) return false;
    var e = terms.entrySet().iterator().next();
    return e.getValue() == 1 && e.getKey().atoms.size() == 1 && e.getKey().atoms.getFirst() instanceof Var;
  }

  /** All variables, including those inside floor divisions, sorted by name. */
  public Set<String> variables() {
    TreeSet<String> out = new TreeSet<>();
    for (Mono m : terms.keySet()) {
      for (Atom a : m.atoms) {
        switch (a) {
          case Var(String n) -> out.add(n);
          case Floor(DimExpr inner, long c) -> out.addAll(inner.variables());
        }
      }
    }
    return Collections.unmodifiableSortedSet(out);
  }

  /** Replaces bound variables and re-normalises (so constants fold, e.g. through floors). */
  public DimExpr substitute(Map<String, DimExpr> bindings) {
    DimExpr sum = ZERO;
    for (var e : terms.entrySet()) {
      DimExpr product = constant(e.getValue());
      for (Atom a : e.getKey().atoms) {
        product = product.times(switch (a) {
          case Var(String n) -> bindings.getOrDefault(n, atom(a));
          case Floor(DimExpr inner, long c) -> inner.substitute(bindings).floorDiv(c);
        });
      }
      sum = sum.plus(product);
    }
    return sum;
  }

  /** How to build something from a dimension's parts, for {@link #fold}. */
  public interface Algebra<T> {
    T constant(long value);

    T variable(String name);

    T floorDiv(T inner, long divisor);

    T plus(T a, T b);

    T times(T a, T b);
  }

  /**
   * Rebuilds this dimension in another algebra (e.g. as index arithmetic of generated code):
   * the sum over its terms of coefficient times the product of the term's atoms.
   */
  public <T> T fold(Algebra<T> algebra) {
    T sum = null;
    for (var e : terms.entrySet()) {
      T product = e.getValue() == 1 && !e.getKey().atoms.isEmpty() ? null : algebra.constant(e.getValue());
      for (Atom a : e.getKey().atoms) {
        T atom = switch (a) {
          case Var(String n) -> algebra.variable(n);
          case Floor(DimExpr inner, long c) -> algebra.floorDiv(inner.fold(algebra), c);
        };
        product = product == null ? atom : algebra.times(product, atom);
      }
      sum = sum == null ? product : algebra.plus(sum, product);
    }
    return sum == null ? algebra.constant(0) : sum;
  }

  /** The value under {@code values}, or empty if some variable is unbound. */
  public OptionalLong evaluate(Map<String, Long> values) {
    long sum = 0;
    for (var e : terms.entrySet()) {
      long product = e.getValue();
      for (Atom a : e.getKey().atoms) {
        OptionalLong v = switch (a) {
          case Var(String n) -> {
            Long x = values.get(n);
            yield x == null ? OptionalLong.empty() : OptionalLong.of(x);
          }
          case Floor(DimExpr inner, long c) -> {
            OptionalLong x = inner.evaluate(values);
            yield x.isEmpty() ? x : OptionalLong.of(Math.floorDiv(x.getAsLong(), c));
          }
        };
        if (v.isEmpty()) return v;
        product = Math.multiplyExact(product, v.getAsLong());
      }
      sum = Math.addExact(sum, product);
    }
    return OptionalLong.of(sum);
  }

  /**
   * If this is linear in {@code var} with coefficient +1 or -1 (var appears in no product and no
   * floor-division), returns the value of var that makes this == target. Empty otherwise, and also
   * when target itself mentions var (the answer would not be a solution).
   */
  public Optional<DimExpr> solveFor(String var, DimExpr target) {
    Mono linear = new Mono(List.of(new Var(var)));
    Long k = terms.get(linear);
    if (k == null || (k != 1 && k != -1) || target.variables().contains(var)) return Optional.empty();
    DimExpr rest = minus(term(linear, k));
    if (rest.variables().contains(var)) return Optional.empty(); // also in a product or a floor
    // k*var + rest == target  <=>  var == k*(target - rest), because k == 1/k for k = ±1.
    return Optional.of(target.minus(rest).times(constant(k)));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DimExpr d && terms.equals(d.terms);
  }

  @Override
  public int hashCode() {
    return terms.hashCode();
  }

  /** A total order consistent with equals: term by term in printing order. */
  @Override
  public int compareTo(DimExpr o) {
    Iterator<Map.Entry<Mono, Long>> i = terms.entrySet().iterator(), j = o.terms.entrySet().iterator();
    while (i.hasNext() && j.hasNext()) {
      var a = i.next();
      var b = j.next();
      int c = a.getKey().compareTo(b.getKey());
      if (c == 0) c = Long.compare(a.getValue(), b.getValue());
      if (c != 0) return c;
    }
    return Boolean.compare(i.hasNext(), j.hasNext());
  }

  /**
   * Canonical readable form, e.g. {@code H - KH + 1}, {@code 2*B}, {@code B*B}, {@code W/2},
   * {@code (W + 1)/2}. It parses back to an equal DimExpr under ordinary precedence ({@code * /}
   * over {@code + -}, left to right, unary minus tightest).
   */
  @Override
  public String toString() {
    if (terms.isEmpty()) return "0";
    StringBuilder sb = new StringBuilder();
    // Positive terms first, so "W - KW + 1" reads as written rather than "-KW + W + 1".
    var ordered = new java.util.ArrayList<>(terms.entrySet());
    ordered.sort(java.util.Comparator.comparingInt(
        e -> e.getKey().atoms.isEmpty() ? 2 : e.getValue() < 0 ? 1 : 0));
    for (var e : ordered) {
      long k = e.getValue();
      List<Atom> atoms = e.getKey().atoms;
      boolean first = sb.isEmpty();
      if (k < 0) sb.append(first ? "-" : " - ");
      else if (!first) sb.append(" + ");
      String magnitude = k < 0 ? Long.toString(k).substring(1) : Long.toString(k);
      boolean unit = magnitude.equals("1") && !atoms.isEmpty();
      if (!unit) sb.append(magnitude);
      for (int i = 0; i < atoms.size(); i++) {
        if (!unit || i > 0) sb.append('*');
        // A floor is bare only where nothing on its left binds tighter than '/':
        // "H*W/2" would read as (H*W)/2 and "-W/2" as (-W)/2.
        boolean bare = i == 0 && unit && !(first && k < 0);
        sb.append(atomString(atoms.get(i), bare));
      }
    }
    return sb.toString();
  }

  private static String atomString(Atom a, boolean bare) {
    return switch (a) {
      case Var(String n) -> n;
      case Floor(DimExpr inner, long c) -> {
        String s = (inner.isVar() ? inner.toString() : "(" + inner + ")") + "/" + c;
        yield bare ? s : "(" + s + ")";
      }
    };
  }
}
