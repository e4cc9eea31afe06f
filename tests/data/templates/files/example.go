package main

// ExampleKey is where the template's example stores its counter.
const ExampleKey = "template_example_counter"
