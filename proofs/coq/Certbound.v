(* certbound's Coq library: the few facts the exported scalar lemmas are proved with, so that each
   lemma's proof is only calls to interval, nra, lra, field and applications of these.
   Every fact here is proved; nothing is assumed. *)
From Coq Require Import Reals Lra Psatz.
From Coquelicot Require Import Coquelicot.
From Interval Require Import Tactic.
Open Scope R_scope.

(* phi1(t) = (e^t - 1)/t, phi1(0) = 1: certbound's φ₁. *)
Definition phi1 (t : R) : R := if Req_EM_T t 0 then 1 else (exp t - 1) / t.

(* interval proves goals "expression <= constant": these move a goal into that shape. *)
Lemma le_of_sub_nonpos : forall a b, a - b <= 0 -> a <= b.
Proof. intros; lra. Qed.
Lemma nonneg_of_opp_nonpos : forall g, - g <= 0 -> 0 <= g.
Proof. intros; lra. Qed.
Lemma pos_of_opp_neg : forall g, - g < 0 -> 0 < g.
Proof. intros; lra. Qed.

(* A lemma a <= b through a form g of b - a that is visibly nonnegative (certbound's factorised
   form, or the normal form of b - a). *)
Lemma le_of_gap : forall a b g, b - a = g -> 0 <= g -> a <= b.
Proof. intros; lra. Qed.
Lemma lt_of_gap : forall a b g, b - a = g -> 0 < g -> a < b.
Proof. intros; lra. Qed.

(* The log form: for a, b > 0, ln a <= ln b gives a <= b (ln is increasing). *)
Lemma le_of_ln : forall a b, 0 < a -> 0 < b -> ln a <= ln b -> a <= b.
Proof.
  intros a b Ha Hb H. destruct (Rle_lt_or_eq_dec _ _ H) as [Hlt|Heq].
  - left. apply ln_lt_inv; assumption.
  - right. apply ln_inv; assumption.
Qed.
Lemma lt_of_ln : forall a b, 0 < a -> 0 < b -> ln a < ln b -> a < b.
Proof. intros a b Ha Hb H. apply ln_lt_inv; assumption. Qed.

(* Mean value: (e^t - 1)/t = e^c for some c between 0 and t, so phi1 t <= e^|t|. *)
Lemma phi1_le_exp_abs : forall t, phi1 t <= exp (Rabs t).
Proof.
  intro t. unfold phi1. destruct (Req_EM_T t 0) as [H0|H0].
  - subst. rewrite Rabs_R0, exp_0. lra.
  - destruct (Rlt_or_le 0 t) as [Hp|Hn].
    + destruct (MVT_cor2 exp exp 0 t Hp (fun c _ => derivable_pt_lim_exp c)) as [c [Hc Hint]].
      rewrite exp_0 in Hc.
      replace ((exp t - 1) / t) with (exp c) by (rewrite Hc; field; lra).
      rewrite Rabs_right by lra. apply Rlt_le, exp_increasing; lra.
    + assert (Hneg : t < 0) by lra.
      destruct (MVT_cor2 exp exp t 0 Hneg (fun c _ => derivable_pt_lim_exp c)) as [c [Hc Hint]].
      rewrite exp_0 in Hc.
      replace ((exp t - 1) / t) with (exp c) by (field_simplify_eq; lra).
      rewrite Rabs_left by lra. apply Rlt_le, exp_increasing; lra.
Qed.

(* certbound's rule for a range unbounded above: g(a) >= 0 and g' >= 0 on [a, +oo) give g >= 0
   there (mean-value theorem). *)
Lemma nonneg_of_increasing : forall (g g' : R -> R) a,
  (forall x, a <= x -> derivable_pt_lim g x (g' x)) ->
  0 <= g a -> (forall x, a <= x -> 0 <= g' x) -> forall x, a <= x -> 0 <= g x.
Proof.
  intros g g' a Hd Ha Hp x Hx.
  destruct (Rle_lt_or_eq_dec a x Hx) as [Hlt|Heq]; [|subst; exact Ha].
  destruct (MVT_cor2 g g' a x Hlt (fun c Hc => Hd c (proj1 Hc))) as [c [Hc Hint]].
  assert (0 <= g' c * (x - a)) by (apply Rmult_le_pos; [apply Hp; lra | lra]).
  lra.
Qed.
Lemma pos_of_increasing : forall (g g' : R -> R) a,
  (forall x, a <= x -> derivable_pt_lim g x (g' x)) ->
  0 < g a -> (forall x, a <= x -> 0 <= g' x) -> forall x, a <= x -> 0 < g x.
Proof.
  intros g g' a Hd Ha Hp x Hx.
  destruct (Rle_lt_or_eq_dec a x Hx) as [Hlt|Heq]; [|subst; exact Ha].
  destruct (MVT_cor2 g g' a x Hlt (fun c Hc => Hd c (proj1 Hc))) as [c [Hc Hint]].
  assert (0 <= g' c * (x - a)) by (apply Rmult_le_pos; [apply Hp; lra | lra]).
  lra.
Qed.

(* Tactics the exported proofs call. *)
(* A positive factor: exponentials, linear facts, products of those. *)
Ltac certbound_pos :=
  first [ apply exp_pos | lra | nra
        | (repeat apply Rmult_lt_0_compat; first [apply exp_pos | lra | nra]) ].
(* ln of products and exponentials expanded (each factor certainly positive). *)
Ltac certbound_ln_expand :=
  repeat rewrite ln_mult by certbound_pos; repeat rewrite ln_exp.
(* The derivative g' of g at x, checked by Coquelicot's auto_derive (side conditions such as
   0 < x for ln x by lra) and field. *)
Ltac certbound_derive :=
  apply is_derive_Reals; auto_derive;
  [ repeat split; first [ exact I | lra ] | first [ (field; lra) | field | ring ] ].
