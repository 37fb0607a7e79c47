// Placeholder until the simulator lands.
console.log('simulator not built yet');
