// The dashboard's entry: defines <corral-app> (and, through it, every view).
import './ui/corral-app.js';
