/**
 * Planning in latent space with a world model: the cross-entropy method over action sequences
 * ({@link org.jepa4j.train.plan.CemPlanner}, with iCEM's coloured noise {@link org.jepa4j.train.plan.ColouredNoise}
 * among its options) scored by the distance of imagined representations to a goal
 * representation ({@link org.jepa4j.train.plan.GoalEnergy}), model-predictive control that executes the first
 * actions, observes and replans ({@link org.jepa4j.train.plan.ModelPredictiveControl}, which can leave local minima
 * of the energy with a {@link org.jepa4j.train.plan.StallEscape}), an energy-landscape
 * debugging utility ({@link org.jepa4j.train.plan.EnergyLandscape}) and the evaluation of planners and baselines
 * in the two-room toy world ({@link org.jepa4j.train.plan.TwoRoomEvaluation}, with the goal tolerance of an encoder
 * measured by {@link org.jepa4j.train.plan.TwoRoomGoalTolerance}, and how many imagined steps a world model keeps
 * track of the agent by {@link org.jepa4j.train.plan.RolloutTracking}).
 *
 * <p>The planner is written against {@link org.jepa4j.train.plan.LatentDynamics}: anything that rolls a batch of
 * candidate action sequences forward from the current representation (an action-conditioned predictor, a linear
 * model in tests, a simulator behind an encoder).
 */
package org.jepa4j.train.plan;
