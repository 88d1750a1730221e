// What every removal of drained instances needs: the last look at zero, and when a pod is gone.
export { confirmAtZero, describeProblem, type ConfirmZeroOptions, type ZeroProblem } from './confirm-zero.js';
export { goneHow } from './gone.js';
